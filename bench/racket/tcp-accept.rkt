#lang racket/base
;; TCP accept rate: the client process keeps <in-flight> connections in flight; each sync on
;; tcp-accept-evt (built once) accepts one, and both its ports are closed.
;; Args: <node> <net-client.ts> <in-flight> <backlog> <client-max-s>
(require racket/tcp "common.rkt" "net-client.rkt")
(define in-flight (string->number (car net-args)))
(define backlog (string->number (cadr net-args)))
(define client-max-s (string->number (caddr net-args)))
(define l (tcp-listen 0 backlog #t "127.0.0.1"))
(define-values (_host port _h _p) (tcp-addresses l #t))
(define client (start-client "accept" port (list in-flight client-max-s)))
(define evt (tcp-accept-evt l))
(define-values (rate metrics)
  (throughput (lambda (n)
                (for ([i (in-range n)])
                  (define ports (sync evt))
                  (close-input-port (car ports))
                  (close-output-port (cadr ports))))))
(stop-client client)
(tcp-close l)
(emit rate metrics)
