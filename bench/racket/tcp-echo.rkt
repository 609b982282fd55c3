#lang racket/base
;; TCP echo through ports: read what is there (read-bytes-avail!), write it, flush; the client
;; process measures the echoed MB/s and prints it, which this program reports.
;; Args: <node> <net-client.ts> <warm-bytes> <bytes> <client-max-s>
(require racket/tcp json "common.rkt" "net-client.rkt")
(define args (map string->number net-args))
(define l (tcp-listen 0 4 #t "127.0.0.1"))
(define-values (_host port _h _p) (tcp-addresses l #t))
(define client (start-client "echo" port args))
(define cpu0 (current-process-milliseconds)) ; the server's CPU time per MB, as the Node sides
(define-values (in out) (tcp-accept l))
(tcp-close l)
(define buf (make-bytes 65536))
(void
 (thread
  (lambda ()
    (with-handlers ([exn:fail? void]) ; the client may leave first
      (let loop ()
        (define n (read-bytes-avail! buf in))
        (unless (eof-object? n)
          (write-bytes buf out 0 n)
          (flush-output out)
          (loop)))
      (close-input-port in)
      (close-output-port out)))))
(define result (string->jsexpr (client-line client)))
(define cpu-us (* 1000.0 (- (current-process-milliseconds) cpu0)))
(stop-client client)
(unless (= 1 (hash-ref (hash-ref result 'metrics) 'complete))
  (error 'tcp-echo "the client's time cap was reached"))
(emit (hash-ref result 'value)
      (hash-set (hash-ref result 'metrics) 'cpuUsPerMB (/ cpu-us (/ (+ (car args) (cadr args)) 1e6))))
