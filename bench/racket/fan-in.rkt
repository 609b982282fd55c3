#lang racket/base
;; Choice fan-in: the same (choice-evt ch ...) over N channels synced repeatedly. Mode "all": a
;; producer thread is blocked in a put on every channel; mode "one": only on the first one.
;; Producers never stop: racket exits when this module's body ends.
(require "common.rkt")
(define n (string->number (car workload-args)))
(define mode (cadr workload-args))
(define chs (for/list ([i (in-range n)]) (make-channel)))
(for ([ch (in-list (if (equal? mode "all") chs (list (car chs))))])
  (thread (lambda ()
            (let loop ([i 0])
              (channel-put ch i)
              (loop (add1 i))))))
(define evt (apply choice-evt chs))
(define-values (rate metrics)
  (throughput (lambda (k) (for ([i (in-range k)]) (sync evt)))))
(emit rate (hash-set metrics 'nsPerSync (/ 1e9 rate)))
