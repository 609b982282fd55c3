#lang racket/base
;; Channel ping-pong between two threads: a round trip is a put on ping then a get on pong.
(require "common.rkt")
(define ping (make-channel))
(define pong (make-channel))
(define (batch n)
  (define client
    (thread (lambda ()
              (for ([i (in-range n)])
                (channel-put ping i)
                (channel-get pong)))))
  (define server
    (thread (lambda ()
              (for ([i (in-range n)])
                (channel-put pong (channel-get ping))))))
  (thread-wait client)
  (thread-wait server))
(define-values (rate metrics) (throughput batch))
(emit rate metrics)
