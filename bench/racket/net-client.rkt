#lang racket/base
;; The network twins' load generator: the same Node client process as the Node sides
;; (bench/workloads/net-client.ts), started with the node executable and script the bench passes.
;; Command line of a network twin: ... <scale> <node> <net-client.ts> <workload args...>
(require racket/list "common.rkt")
(provide net-args start-client client-line stop-client)

;; The workload's own arguments, after node and the client script.
(define net-args (list-tail workload-args 2))

(struct client (proc stdout stdin))

;; Starts `node --import tsx net-client.ts <mode> <port> <args...>` and waits for its "ready".
;; The client also exits on its own when this process ends (its stdin closes).
(define (start-client mode port args)
  (define-values (proc stdout stdin _err)
    (apply subprocess #f #f (current-error-port)
           (first workload-args) "--import" "tsx" (second workload-args)
           mode (number->string port) (map (lambda (a) (format "~a" a)) args)))
  (define c (client proc stdout stdin))
  (define first-line (client-line c))
  (unless (equal? first-line "ready")
    (error 'net-client "~a: expected \"ready\", got ~s" mode first-line))
  c)

;; The client's next line of output.
(define (client-line c)
  (define l (read-line (client-stdout c)))
  (when (eof-object? l) (error 'net-client "exited before printing a line"))
  l)

(define (stop-client c)
  (subprocess-kill (client-proc c) #t)
  (close-output-port (client-stdin c))
  (close-input-port (client-stdout c)))
