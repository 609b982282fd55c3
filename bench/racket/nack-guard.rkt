#lang racket/base
;; nack-guard-evt overhead: sync on (choice-evt always-evt (nack-guard-evt (lambda (nack) ch))),
;; built once, synced repeatedly.
(require "common.rkt")
(define idle (make-channel))
(define evt (choice-evt always-evt (nack-guard-evt (lambda (nack) idle))))
(define-values (rate metrics)
  (throughput (lambda (n) (for ([i (in-range n)]) (sync evt)))))
(emit rate metrics)
