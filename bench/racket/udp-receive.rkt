#lang racket/base
;; UDP receive rate: the client process sends <size>-byte datagrams as fast as it can; each sync on
;; udp-receive!-evt (built once) receives one into a <buffer>-byte string.
;; Args: <node> <net-client.ts> <size> <buffer> <client-max-s>
(require racket/udp "common.rkt" "net-client.rkt")
(define size (string->number (car net-args)))
(define buffer (string->number (cadr net-args)))
(define client-max-s (string->number (caddr net-args)))
(define s (udp-open-socket "127.0.0.1" #f))
(udp-bind! s "127.0.0.1" 0)
(define-values (_host port _h _p) (udp-addresses s #t))
(define client (start-client "udp" port (list size client-max-s)))
(define evt (udp-receive!-evt s (make-bytes buffer)))
(define-values (rate metrics)
  (throughput (lambda (n) (for ([i (in-range n)]) (sync evt)))))
(stop-client client)
(udp-close s)
(emit rate metrics)
