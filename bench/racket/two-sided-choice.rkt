#lang racket/base
;; Two threads each offering a choice: (choice-evt (channel-put-evt a i) b) and the mirror. Every
;; sync pairs with the other thread's: one rendezvous each. Events are built per sync.
(require "common.rkt")
(define a (make-channel))
(define b (make-channel))
(define (batch n)
  (define left
    (thread (lambda ()
              (for ([i (in-range n)])
                (sync (choice-evt (channel-put-evt a i) b))))))
  (define right
    (thread (lambda ()
              (for ([i (in-range n)])
                (sync (choice-evt (channel-put-evt b i) a))))))
  (thread-wait left)
  (thread-wait right))
(define-values (rate metrics) (throughput batch))
(emit rate metrics)
