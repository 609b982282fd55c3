#lang racket/base
;; Memory per blocked thread: <scale> threads, each blocked in channel-get on its own channel (the
;; channels are held, as the program holds its channels); memory delta after a major GC / N.
(require "common.rkt")

(define (block-many n)
  (define held
    (for/vector #:length n ([i (in-range n)])
      (define ch (make-channel))
      (thread (lambda () (channel-get ch)))
      ch))
  (sync (system-idle-evt)) ; every thread has run up to its block
  held)

(define (full-gc)
  (collect-garbage 'major)
  (collect-garbage 'major))

(let ([warm (block-many (max 1 (quotient scale 10)))]) ; warm-up, then dropped
  (void (vector-length warm)))
(full-gc)
(define before (current-memory-use))
(define held (block-many scale))
(full-gc)
(define after (current-memory-use))
(emit (/ (- after before) (vector-length held))
      (hasheq 'n (vector-length held) 'bytes (- after before)))
