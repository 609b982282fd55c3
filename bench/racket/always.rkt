#lang racket/base
;; Sync on always-evt, plain or through a wrap (built once, synced repeatedly).
(require "common.rkt")
(define evt
  (if (equal? (car workload-args) "wrapped")
      (wrap-evt always-evt (lambda (_) 1))
      always-evt))
(define-values (rate metrics)
  (throughput (lambda (n) (for ([i (in-range n)]) (sync evt)))))
(emit rate metrics)
