;; Memory-bound kernels on WebAssembly SIMD, sharing the wasm backend's memory (every pointer is a byte
;; address in it; every count of floats a multiple of 4). Each computes exactly what the scalar code it
;; replaces computed (same operations, same order), so results are bit-identical; the JavaScript loops
;; lost to these on branch mispredictions (max pooling's gradient) or on one float at a time.
(module
  (import "env" "memory" (memory 0))

  ;; MaxPoolGrad for 2x2 windows that tile the input (stride 2, no padding): x and dx [B, H, W, C],
  ;; dy [B, Ho, Wo, C], C a multiple of 4. Each window's gradient goes to its first maximum in row-major
  ;; order (strict >, so NaN is never chosen past the first pixel); its other three pixels get +0. Pixels
  ;; that no window covers (odd H or W) are not written.
  (func (export "max_pool_grad_2x2")
    (param $x i32) (param $dy i32) (param $dx i32)
    (param $B i32) (param $H i32) (param $W i32) (param $C i32) (param $Ho i32) (param $Wo i32)
    (local $cBytes i32) (local $rowBytes i32) (local $b i32) (local $oy i32) (local $ox i32)
    (local $top i32) (local $p i32) (local $end i32) (local $d i32)
    (local $v00 v128) (local $v01 v128) (local $v10 v128) (local $v11 v128) (local $best v128)
    (local $g1 v128) (local $g2 v128) (local $g3 v128) (local $g v128) (local $grad v128)
    (local.set $cBytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $rowBytes (i32.mul (local.get $W) (local.get $cBytes)))
    (local.set $d (local.get $dy))
    (local.set $b (i32.const 0))
    (block $bDone (loop $bLoop
      (br_if $bDone (i32.ge_s (local.get $b) (local.get $B)))
      (local.set $oy (i32.const 0))
      (block $yDone (loop $yLoop
        (br_if $yDone (i32.ge_s (local.get $oy) (local.get $Ho)))
        ;; byte offset of pixel (b, 2·oy, 0)
        (local.set $top (i32.mul
          (i32.add (i32.mul (local.get $b) (local.get $H)) (i32.shl (local.get $oy) (i32.const 1)))
          (local.get $rowBytes)))
        (local.set $ox (i32.const 0))
        (block $xDone (loop $xLoop
          (br_if $xDone (i32.ge_s (local.get $ox) (local.get $Wo)))
          ;; this window's top-left pixel, and the end of its channels
          (local.set $p (i32.add (local.get $top)
            (i32.mul (i32.shl (local.get $ox) (i32.const 1)) (local.get $cBytes))))
          (local.set $end (i32.add (local.get $p) (local.get $cBytes)))
          (block $cDone (loop $cLoop
            (br_if $cDone (i32.ge_s (local.get $p) (local.get $end)))
            (local.set $v00 (v128.load (i32.add (local.get $x) (local.get $p))))
            (local.set $v01 (v128.load (i32.add (i32.add (local.get $x) (local.get $p)) (local.get $cBytes))))
            (local.set $v10 (v128.load (i32.add (i32.add (local.get $x) (local.get $p)) (local.get $rowBytes))))
            (local.set $v11 (v128.load (i32.add (i32.add (i32.add (local.get $x) (local.get $p))
              (local.get $rowBytes)) (local.get $cBytes))))
            (local.set $g1 (f32x4.gt (local.get $v01) (local.get $v00)))
            (local.set $best (v128.bitselect (local.get $v01) (local.get $v00) (local.get $g1)))
            (local.set $g2 (f32x4.gt (local.get $v10) (local.get $best)))
            (local.set $best (v128.bitselect (local.get $v10) (local.get $best) (local.get $g2)))
            (local.set $g3 (f32x4.gt (local.get $v11) (local.get $best)))
            (local.set $grad (v128.load (local.get $d)))
            ;; the last pixel that beat the running maximum takes the gradient
            (v128.store (i32.add (i32.add (i32.add (local.get $dx) (local.get $p))
              (local.get $rowBytes)) (local.get $cBytes))
              (v128.and (local.get $grad) (local.get $g3)))
            (v128.store (i32.add (i32.add (local.get $dx) (local.get $p)) (local.get $rowBytes))
              (v128.and (local.get $grad) (v128.andnot (local.get $g2) (local.get $g3))))
            (local.set $g (v128.or (local.get $g2) (local.get $g3)))
            (v128.store (i32.add (i32.add (local.get $dx) (local.get $p)) (local.get $cBytes))
              (v128.and (local.get $grad) (v128.andnot (local.get $g1) (local.get $g))))
            (v128.store (i32.add (local.get $dx) (local.get $p))
              (v128.andnot (local.get $grad) (v128.or (local.get $g1) (local.get $g))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $cLoop)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $xLoop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $yLoop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bLoop)))
  )

  ;; Column sums of x [rows, columns] (columns a multiple of 4) in float64, into sums [columns] float64
  ;; (8-byte aligned): each column's floats are added in row order onto 0, as a float64 loop would.
  ;; Blocks of 8 columns keep 4 independent sums of pairs in registers; a last block of 4 takes the rest.
  (func (export "column_sums")
    (param $x i32) (param $rows i32) (param $columns i32) (param $sums i32)
    (local $rowBytes i32) (local $column i32) (local $p i32) (local $end i32) (local $out i32)
    (local $v v128) (local $w v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $rowBytes (i32.shl (local.get $columns) (i32.const 2)))
    (local.set $column (i32.const 0))
    (block $wideDone (loop $wideLoop
      (br_if $wideDone (i32.gt_s (i32.add (local.get $column) (i32.const 8)) (local.get $columns)))
      (local.set $s0 (v128.const i32x4 0 0 0 0))
      (local.set $s1 (v128.const i32x4 0 0 0 0))
      (local.set $s2 (v128.const i32x4 0 0 0 0))
      (local.set $s3 (v128.const i32x4 0 0 0 0))
      (local.set $p (i32.add (local.get $x) (i32.shl (local.get $column) (i32.const 2))))
      (local.set $end (i32.add (local.get $p) (i32.mul (local.get $rows) (local.get $rowBytes))))
      (block $rowsDone (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load (local.get $p)))
        (local.set $w (v128.load offset=16 (local.get $p)))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $s2 (f64x2.add (local.get $s2) (f64x2.promote_low_f32x4 (local.get $w))))
        (local.set $s3 (f64x2.add (local.get $s3) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w)))))
        (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
        (br $rowLoop)))
      (local.set $out (i32.add (local.get $sums) (i32.shl (local.get $column) (i32.const 3))))
      (v128.store offset=0 (local.get $out) (local.get $s0))
      (v128.store offset=16 (local.get $out) (local.get $s1))
      (v128.store offset=32 (local.get $out) (local.get $s2))
      (v128.store offset=48 (local.get $out) (local.get $s3))
      (local.set $column (i32.add (local.get $column) (i32.const 8)))
      (br $wideLoop)))
    (block $narrowDone (loop $narrowLoop
      (br_if $narrowDone (i32.ge_s (local.get $column) (local.get $columns)))
      (local.set $s0 (v128.const i32x4 0 0 0 0))
      (local.set $s1 (v128.const i32x4 0 0 0 0))
      (local.set $p (i32.add (local.get $x) (i32.shl (local.get $column) (i32.const 2))))
      (local.set $end (i32.add (local.get $p) (i32.mul (local.get $rows) (local.get $rowBytes))))
      (block $rowsDone (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load (local.get $p)))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
        (br $rowLoop)))
      (local.set $out (i32.add (local.get $sums) (i32.shl (local.get $column) (i32.const 3))))
      (v128.store offset=0 (local.get $out) (local.get $s0))
      (v128.store offset=16 (local.get $out) (local.get $s1))
      (local.set $column (i32.add (local.get $column) (i32.const 4)))
      (br $narrowLoop)))
  )

  ;; out = a + b, a [rows, columns] and b [columns] (broadcast over the rows; columns a multiple of 4), or
  ;; b as large as a when $columns is rows·columns and $rows is 1 (then b is added elementwise). Float32 adds,
  ;; as tf's Add.
  (func (export "add_rows")
    (param $a i32) (param $b i32) (param $out i32) (param $rows i32) (param $columns i32)
    (local $bytes i32) (local $end i32) (local $p i32) (local $q i32)
    (local.set $bytes (i32.shl (local.get $columns) (i32.const 2)))
    (local.set $end (i32.add (local.get $a) (i32.mul (local.get $rows) (local.get $bytes))))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $p (i32.const 0))
      (block $colsDone (loop $colLoop
        (br_if $colsDone (i32.ge_u (local.get $p) (local.get $bytes)))
        (v128.store (i32.add (local.get $out) (local.get $p))
          (f32x4.add (v128.load (i32.add (local.get $a) (local.get $p)))
            (v128.load (i32.add (local.get $b) (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $colLoop)))
      (local.set $a (i32.add (local.get $a) (local.get $bytes)))
      (local.set $out (i32.add (local.get $out) (local.get $bytes)))
      (br $rowLoop)))
  )

  ;; A stride-1 cross-correlation to one output channel: grid [B, Hg, Wg, C] (the zero-padded input, C a
  ;; multiple of 4), w [kh, kw, C], out [B, Ho, Wo] with Hg = Ho + kh − 1, Wg = Wo + kw − 1. For filter row
  ;; ky the taps (kx, c) of output pixel (b, oy, ox) are the kw·C contiguous floats from grid pixel
  ;; (b, oy + ky, ox), so each row is one dot product of contiguous runs. Four neighbouring pixels share
  ;; the filter's loads and keep four independent sums (one per lane group c mod 4, then lanes 0+1+2+3).
  ;; The input gradient of a convolution from one channel (an image's or a spectrogram's) is one of these.
  (func (export "conv_to_one")
    (param $grid i32) (param $w i32) (param $out i32)
    (param $B i32) (param $Hg i32) (param $Wg i32) (param $C i32) (param $kh i32) (param $kw i32)
    (param $Ho i32) (param $Wo i32)
    (local $cBytes i32) (local $gridRow i32) (local $segment i32) (local $b i32) (local $oy i32) (local $ox i32)
    (local $ky i32) (local $p i32) (local $q i32) (local $j i32) (local $rowStart i32) (local $wide i32)
    (local $v v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $cBytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $gridRow (i32.mul (local.get $Wg) (local.get $cBytes)))
    (local.set $segment (i32.mul (local.get $kw) (local.get $cBytes)))
    (local.set $b (i32.const 0))
    (block $bDone (loop $bLoop
      (br_if $bDone (i32.ge_s (local.get $b) (local.get $B)))
      (local.set $oy (i32.const 0))
      (block $yDone (loop $yLoop
        (br_if $yDone (i32.ge_s (local.get $oy) (local.get $Ho)))
        ;; grid pixel (b, oy, 0)
        (local.set $rowStart (i32.add (local.get $grid) (i32.mul
          (i32.add (i32.mul (local.get $b) (local.get $Hg)) (local.get $oy)) (local.get $gridRow))))
        (local.set $ox (i32.const 0))
        (block $xDone (loop $xLoop
          (br_if $xDone (i32.ge_s (local.get $ox) (local.get $Wo)))
          (local.set $wide (i32.le_s (i32.add (local.get $ox) (i32.const 4)) (local.get $Wo)))
          (local.set $a0 (v128.const i32x4 0 0 0 0))
          (local.set $a1 (v128.const i32x4 0 0 0 0))
          (local.set $a2 (v128.const i32x4 0 0 0 0))
          (local.set $a3 (v128.const i32x4 0 0 0 0))
          (local.set $ky (i32.const 0))
          (block $kDone (loop $kLoop
            (br_if $kDone (i32.ge_s (local.get $ky) (local.get $kh)))
            (local.set $p (i32.add (i32.add (local.get $rowStart) (i32.mul (local.get $ky) (local.get $gridRow)))
              (i32.mul (local.get $ox) (local.get $cBytes))))
            (local.set $q (i32.add (local.get $w) (i32.mul (local.get $ky) (local.get $segment))))
            (local.set $j (i32.const 0))
            (if (local.get $wide)
              (then
                (block $jDone (loop $jLoop
                  (br_if $jDone (i32.ge_s (local.get $j) (local.get $segment)))
                  (local.set $v (v128.load (i32.add (local.get $q) (local.get $j))))
                  (local.set $a0 (f32x4.add (local.get $a0)
                    (f32x4.mul (v128.load (i32.add (local.get $p) (local.get $j))) (local.get $v))))
                  (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul
                    (v128.load (i32.add (i32.add (local.get $p) (local.get $j)) (local.get $cBytes))) (local.get $v))))
                  (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul
                    (v128.load (i32.add (i32.add (local.get $p) (local.get $j)) (i32.shl (local.get $cBytes) (i32.const 1))))
                    (local.get $v))))
                  (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul
                    (v128.load (i32.add (i32.add (local.get $p) (local.get $j)) (i32.mul (local.get $cBytes) (i32.const 3))))
                    (local.get $v))))
                  (local.set $j (i32.add (local.get $j) (i32.const 16)))
                  (br $jLoop))))
              (else
                (block $jDone (loop $jLoop
                  (br_if $jDone (i32.ge_s (local.get $j) (local.get $segment)))
                  (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul
                    (v128.load (i32.add (local.get $p) (local.get $j))) (v128.load (i32.add (local.get $q) (local.get $j))))))
                  (local.set $j (i32.add (local.get $j) (i32.const 16)))
                  (br $jLoop)))))
            (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
            (br $kLoop)))
          (f32.store (local.get $out) (call $lanes (local.get $a0)))
          (if (local.get $wide)
            (then
              (f32.store offset=4 (local.get $out) (call $lanes (local.get $a1)))
              (f32.store offset=8 (local.get $out) (call $lanes (local.get $a2)))
              (f32.store offset=12 (local.get $out) (call $lanes (local.get $a3)))
              (local.set $out (i32.add (local.get $out) (i32.const 16)))
              (local.set $ox (i32.add (local.get $ox) (i32.const 4))))
            (else
              (local.set $out (i32.add (local.get $out) (i32.const 4)))
              (local.set $ox (i32.add (local.get $ox) (i32.const 1)))))
          (br $xLoop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $yLoop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bLoop)))
  )

  ;; ((lane 0 + lane 1) + lane 2) + lane 3
  (func $lanes (param $v v128) (result f32)
    (f32.add (f32.add (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32x4.extract_lane 2 (local.get $v))) (f32x4.extract_lane 3 (local.get $v)))
  )

  ;; MaxPool of 2x2 windows tiling x [B, H, W, C] (stride 2, no padding; C a multiple of 4) into
  ;; out [B, Ho, Wo, C]: each window's first maximum in row-major order (pmax keeps the running maximum
  ;; unless a later pixel is greater), the value MaxPoolGrad sends the gradient to.
  (func (export "max_pool_2x2")
    (param $x i32) (param $out i32)
    (param $B i32) (param $H i32) (param $W i32) (param $C i32) (param $Ho i32) (param $Wo i32)
    (local $cBytes i32) (local $rowBytes i32) (local $b i32) (local $oy i32) (local $ox i32)
    (local $top i32) (local $p i32) (local $end i32)
    (local.set $cBytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $rowBytes (i32.mul (local.get $W) (local.get $cBytes)))
    (local.set $b (i32.const 0))
    (block $bDone (loop $bLoop
      (br_if $bDone (i32.ge_s (local.get $b) (local.get $B)))
      (local.set $oy (i32.const 0))
      (block $yDone (loop $yLoop
        (br_if $yDone (i32.ge_s (local.get $oy) (local.get $Ho)))
        (local.set $top (i32.add (local.get $x) (i32.mul
          (i32.add (i32.mul (local.get $b) (local.get $H)) (i32.shl (local.get $oy) (i32.const 1)))
          (local.get $rowBytes))))
        (local.set $ox (i32.const 0))
        (block $xDone (loop $xLoop
          (br_if $xDone (i32.ge_s (local.get $ox) (local.get $Wo)))
          (local.set $p (i32.add (local.get $top)
            (i32.mul (i32.shl (local.get $ox) (i32.const 1)) (local.get $cBytes))))
          (local.set $end (i32.add (local.get $p) (local.get $cBytes)))
          (block $cDone (loop $cLoop
            (br_if $cDone (i32.ge_u (local.get $p) (local.get $end)))
            (v128.store (local.get $out)
              (f32x4.pmax
                (f32x4.pmax
                  (f32x4.pmax (v128.load (local.get $p)) (v128.load (i32.add (local.get $p) (local.get $cBytes))))
                  (v128.load (i32.add (local.get $p) (local.get $rowBytes))))
                (v128.load (i32.add (i32.add (local.get $p) (local.get $rowBytes)) (local.get $cBytes)))))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $cLoop)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $xLoop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $yLoop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bLoop)))
  )

  ;; out = √a over n floats (a multiple of 4); correctly rounded, as every sqrt.
  (func (export "sqrt")
    (param $a i32) (param $out i32) (param $n i32)
    (local $p i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (local.set $p (i32.const 0))
    (block $done (loop $loop
      (br_if $done (i32.ge_u (local.get $p) (local.get $bytes)))
      (v128.store (i32.add (local.get $out) (local.get $p))
        (f32x4.sqrt (v128.load (i32.add (local.get $a) (local.get $p)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $loop)))
  )

  ;; A stride-1 cross-correlation from one input channel: grid [B, Hg, Wg] (the zero-padded input),
  ;; w [kh, kw, Co] (Co a multiple of 4), out [B, Ho, Wo, Co] with Hg = Ho + kh − 1, Wg = Wo + kw − 1.
  ;; Each output pixel takes Co in blocks of 16 (four accumulators; a last block of 4 at a time), each
  ;; the taps in (ky, kx) order: a splat of the tap's input times the filter's row. The first layer of a
  ;; network on images or spectrograms is one of these.
  (func (export "conv_from_one")
    (param $grid i32) (param $w i32) (param $out i32)
    (param $B i32) (param $Hg i32) (param $Wg i32) (param $kh i32) (param $kw i32)
    (param $Ho i32) (param $Wo i32) (param $Co i32)
    (local $coBytes i32) (local $b i32) (local $oy i32) (local $ox i32) (local $c i32) (local $step i32)
    (local $ky i32) (local $end i32) (local $pixel i32) (local $row i32) (local $wp i32)
    (local $s v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $coBytes (i32.shl (local.get $Co) (i32.const 2)))
    (local.set $b (i32.const 0))
    (block $bDone (loop $bLoop
      (br_if $bDone (i32.ge_s (local.get $b) (local.get $B)))
      (local.set $oy (i32.const 0))
      (block $yDone (loop $yLoop
        (br_if $yDone (i32.ge_s (local.get $oy) (local.get $Ho)))
        (local.set $ox (i32.const 0))
        (block $xDone (loop $xLoop
          (br_if $xDone (i32.ge_s (local.get $ox) (local.get $Wo)))
          ;; grid address of this pixel's first tap: (b, oy, ox)
          (local.set $pixel (i32.add (local.get $grid) (i32.shl (i32.add (i32.mul
            (i32.add (i32.mul (local.get $b) (local.get $Hg)) (local.get $oy)) (local.get $Wg)) (local.get $ox))
            (i32.const 2))))
          (local.set $c (i32.const 0))
          (block $cDone (loop $cLoop
            (br_if $cDone (i32.ge_s (local.get $c) (local.get $coBytes)))
            ;; 64 bytes (16 channels) at a time while they last, then 16
            (local.set $step (select (i32.const 64) (i32.const 16)
              (i32.le_s (i32.add (local.get $c) (i32.const 64)) (local.get $coBytes))))
            (local.set $a0 (v128.const i32x4 0 0 0 0))
            (local.set $a1 (v128.const i32x4 0 0 0 0))
            (local.set $a2 (v128.const i32x4 0 0 0 0))
            (local.set $a3 (v128.const i32x4 0 0 0 0))
            (local.set $wp (i32.add (local.get $w) (local.get $c)))
            (local.set $ky (i32.const 0))
            (block $kyDone (loop $kyLoop
              (br_if $kyDone (i32.ge_s (local.get $ky) (local.get $kh)))
              (local.set $row (i32.add (local.get $pixel)
                (i32.shl (i32.mul (local.get $ky) (local.get $Wg)) (i32.const 2))))
              (local.set $end (i32.add (local.get $row) (i32.shl (local.get $kw) (i32.const 2))))
              (if (i32.eq (local.get $step) (i32.const 64))
                (then
                  (loop $kxWide
                    (local.set $s (v128.load32_splat (local.get $row)))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (v128.load offset=0 (local.get $wp)))))
                    (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $wp)))))
                    (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $wp)))))
                    (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $wp)))))
                    (local.set $wp (i32.add (local.get $wp) (local.get $coBytes)))
                    (local.set $row (i32.add (local.get $row) (i32.const 4)))
                    (br_if $kxWide (i32.lt_u (local.get $row) (local.get $end)))))
                (else
                  (loop $kxNarrow
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul
                      (v128.load32_splat (local.get $row)) (v128.load offset=0 (local.get $wp)))))
                    (local.set $wp (i32.add (local.get $wp) (local.get $coBytes)))
                    (local.set $row (i32.add (local.get $row) (i32.const 4)))
                    (br_if $kxNarrow (i32.lt_u (local.get $row) (local.get $end))))))
              (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
              (br $kyLoop)))
            (v128.store offset=0 (i32.add (local.get $out) (local.get $c)) (local.get $a0))
            (if (i32.eq (local.get $step) (i32.const 64))
              (then
                (v128.store offset=16 (i32.add (local.get $out) (local.get $c)) (local.get $a1))
                (v128.store offset=32 (i32.add (local.get $out) (local.get $c)) (local.get $a2))
                (v128.store offset=48 (i32.add (local.get $out) (local.get $c)) (local.get $a3))))
            (local.set $c (i32.add (local.get $c) (local.get $step)))
            (br $cLoop)))
          (local.set $out (i32.add (local.get $out) (local.get $coBytes)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $xLoop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $yLoop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bLoop)))
  )
)
