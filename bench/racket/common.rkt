#lang racket/base
;; Shared by the Racket side of every workload: the caps passed by bench/run.ts, a throughput loop
;; with warm-up and time AND count caps (the same as bench/harness/measure.ts), and the JSON line.
;; Command line: racket <file>.rkt <warmup-ms> <measure-ms> <max-ops> <scale> <workload args...>
(require json racket/list)
(provide warmup-ms measure-ms max-ops scale workload-args now throughput quantile emit)

(define argv (vector->list (current-command-line-arguments)))
(unless (>= (length argv) 4)
  (error 'bench "usage: racket <file>.rkt <warmup-ms> <measure-ms> <max-ops> <scale> args..."))
(define warmup-ms (string->number (first argv)))
(define measure-ms (string->number (second argv)))
(define max-ops (string->number (third argv)))
(define scale (string->number (fourth argv)))
(define workload-args (list-tail argv 4))

(define (now) (current-inexact-milliseconds))

(define target-batch-ms 5)
(define max-batch (expt 2 20))

;; Runs (batch n) — n operations — growing n during the warm-up until a batch lasts a few ms, then
;; measures until measure-ms elapsed or max-ops operations were done. Returns ops/s and metrics.
(define (throughput batch)
  (define warm-end (+ (now) warmup-ms))
  (define size
    (let loop ([size 16])
      (define t0 (now))
      (batch size)
      (define t1 (now))
      (cond
        [(>= t1 warm-end) size]
        [(and (< (- t1 t0) target-batch-ms) (< size max-batch)) (loop (* 2 size))]
        [else (loop size)])))
  ;; CPU time of this process (user + system, ms) over the measured interval, as measure.ts.
  (define cpu0 (current-process-milliseconds))
  (define start (now))
  (let loop ([ops 0] [t start])
    (if (and (< (- t start) measure-ms) (< ops max-ops))
        (let ([n (min size (- max-ops ops))])
          (batch n)
          (loop (+ ops n) (now)))
        (let ([ms (- t start)]
              [cpu-us (* 1000.0 (- (current-process-milliseconds) cpu0))])
          (values (/ (* ops 1000.0) ms)
                  (hasheq 'ops ops 'ms ms 'batch size 'cpuUsPerOp (/ cpu-us (max ops 1))))))))

;; The q-quantile of a list of reals, by linear interpolation (as quantile in measure.ts).
(define (quantile xs q)
  (define s (list->vector (sort xs <)))
  (define pos (* (sub1 (vector-length s)) q))
  (define lo (vector-ref s (exact-floor pos)))
  (define hi (vector-ref s (exact-ceiling pos)))
  (+ lo (* (- hi lo) (- pos (floor pos)))))

(define (exact-floor x) (inexact->exact (floor x)))
(define (exact-ceiling x) (inexact->exact (ceiling x)))

;; Prints the sample as one JSON line: {"value": v, "metrics": {...}}.
(define (emit value metrics)
  (write-json (hasheq 'value (exact->inexact value)
                      'metrics (for/hasheq ([(k v) (in-hash metrics)]) (values k (exact->inexact v)))))
  (newline)
  (flush-output))
