#lang racket/base
;; <scale> threads, each syncing on an alarm at a random time in the next second; lateness is read
;; with the alarm's own clock when the thread resumes. Value: p99 lateness in ms.
(require "common.rkt")
(define monotonic? (equal? (car workload-args) "monotonic"))
(define clock (if monotonic? current-inexact-monotonic-milliseconds current-inexact-milliseconds))
;; Every alarm is set at least lead-ms ahead, so starting all the threads (0.3–0.9 s for 10,000)
;; never makes the first ones late; setupMs in the metrics shows the margin.
(define lead-ms 1000)
(define warmup-lead-ms 100)

(define setup-ms 0)
(define (lateness count spread-ms lead-ms)
  (define late (make-vector count 0.0))
  (define t0 (now))
  (define base (+ (clock) lead-ms))
  (define threads
    (for/list ([i (in-range count)])
      (define t (+ base (* (random) spread-ms)))
      (thread (lambda ()
                (sync (alarm-evt t monotonic?))
                (vector-set! late i (- (clock) t))))))
  (set! setup-ms (- (now) t0))
  (for-each thread-wait threads)
  (vector->list late))

(void (lateness 1000 100 warmup-lead-ms)) ; warm-up
(define late (lateness scale 1000 lead-ms))
(emit (quantile late 0.99)
      (hasheq 'p50 (quantile late 0.5) 'p99 (quantile late 0.99) 'max (apply max late) 'n (length late) 'setupMs setup-ms))
