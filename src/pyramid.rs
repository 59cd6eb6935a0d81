//! Level-of-detail summary of one column of values (NaN = no data), so that
//! exact min, max, sum and count over any index range cost O(log n) plus the
//! partial blocks at its edges, whatever the length of the range. It never
//! holds a copy of the values: min and max are stored as the index where they
//! occur, which also tells M4 in what order to draw them.
//!
//! Layout, chosen to stay well under 15 % of the 8 bytes a point takes:
//! - leaves of 8 points: a validity bitmask and the offsets of the first
//!   minimum and first maximum, 3 bytes (0.375 bytes a point);
//! - nodes of 64, 512, 4096 … points (8 children each): first-min index,
//!   first-max index, count of valid points, their sum, and the minimum and
//!   maximum values themselves (36 bytes, so 0.56 bytes a point for the
//!   first level and 1/8 of that for each above). Keeping the two values
//!   beside the indices lets a fold over nodes stream through these arrays
//!   instead of jumping into the values for every node: with dozens of
//!   series whose values are out of cache, that is what a frame waits on.
//!
//! The sum lives only on nodes: a leaf-level sum would cost a byte a point.
//! Values must be finite or NaN (`Series` guarantees it); anything else
//! gives unspecified extremes, never a panic.
//!
//! One idea over 400 lines (its tests are a sixth of them): the summary's
//! layout, build (scalar and 128-bit SIMD) and queries share the block
//! arithmetic above and are only correct together.

use std::ops::Range;

/// Points per leaf: one bit each in the leaf's mask.
const LEAF: usize = 1 << LEAF_SHIFT;
const LEAF_SHIFT: u32 = 3;
/// Children per node, and leaves per first-level node.
const FANOUT: usize = 1 << FANOUT_SHIFT;
const FANOUT_SHIFT: u32 = 3;
/// Points under one first-level node.
const NODE: usize = LEAF * FANOUT;
const NODE_SHIFT: u32 = LEAF_SHIFT + FANOUT_SHIFT;
/// First-level nodes summarised in one call while building (32,768 points).
const BUILD_BLOCK: usize = 512;

/// log2 of the points under a node of level `k`. Sizes are powers of two
/// so that the hot paths shift instead of dividing (integer division by a
/// size only known at run time cost M4 half its time).
fn node_shift(k: usize) -> u32 {
    NODE_SHIFT + FANOUT_SHIFT * k as u32
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Leaf {
    /// Bit k set when point k of the leaf holds a value.
    mask: u8,
    /// Offset of the first minimum (meaningless when `mask` is 0).
    lo: u8,
    /// Offset of the first maximum.
    hi: u8,
}

/// A leaf with the values and sum a node needs from it.
struct LeafSummary {
    leaf: Leaf,
    /// The extremes' values; meaningless, like the offsets, when the leaf
    /// holds no value.
    lo_value: f64,
    hi_value: f64,
    /// Sum of the valid points.
    sum: f64,
}

impl LeafSummary {
    /// Up to `LEAF` points (the last leaf of a series may be short).
    fn of(points: &[f64]) -> LeafSummary {
        let mut s = LeafSummary {
            leaf: Leaf::default(),
            lo_value: f64::INFINITY,
            hi_value: f64::NEG_INFINITY,
            sum: 0.0,
        };
        for (k, &v) in points.iter().enumerate() {
            let valid = !v.is_nan();
            s.leaf.mask |= (valid as u8) << k;
            s.sum += if valid { v } else { 0.0 };
            if v < s.lo_value {
                s.lo_value = v;
                s.leaf.lo = k as u8;
            }
            if v > s.hi_value {
                s.hi_value = v;
                s.leaf.hi = k as u8;
            }
        }
        s
    }

    /// A whole leaf. Building the summary of a long series waits on this,
    /// so in wasm it reduces with 128-bit vectors and no branch per point
    /// (natively the compiler does as well with `of`). A missing point
    /// enters as an extreme any value beats; the first of equal extremes is
    /// the one kept.
    #[cfg(not(target_arch = "wasm32"))]
    fn of_full(points: &[f64; LEAF]) -> LeafSummary {
        LeafSummary::of(points)
    }

    #[cfg(target_arch = "wasm32")]
    #[target_feature(enable = "simd128")]
    #[inline]
    fn of_full(points: &[f64; LEAF]) -> LeafSummary {
        use std::arch::wasm32::*;
        let v = [
            f64x2(points[0], points[1]),
            f64x2(points[2], points[3]),
            f64x2(points[4], points[5]),
            f64x2(points[6], points[7]),
        ];
        let valid = v.map(|v| f64x2_eq(v, v));
        let lo = [0, 1, 2, 3].map(|k| v128_bitselect(v[k], f64x2_splat(f64::INFINITY), valid[k]));
        let hi =
            [0, 1, 2, 3].map(|k| v128_bitselect(v[k], f64x2_splat(f64::NEG_INFINITY), valid[k]));
        let sum = [0, 1, 2, 3].map(|k| v128_and(v[k], valid[k]));
        // Extremes in both lanes, then which points equal them.
        let swap = |x: v128| i64x2_shuffle::<1, 0>(x, x);
        let lo_value = f64x2_pmin(f64x2_pmin(lo[0], lo[1]), f64x2_pmin(lo[2], lo[3]));
        let lo_value = f64x2_pmin(lo_value, swap(lo_value));
        let hi_value = f64x2_pmax(f64x2_pmax(hi[0], hi[1]), f64x2_pmax(hi[2], hi[3]));
        let hi_value = f64x2_pmax(hi_value, swap(hi_value));
        let bits = |m: [v128; 4]| (0..4).fold(0u8, |acc, k| acc | (i64x2_bitmask(m[k]) << (2 * k)));
        let lo_at = bits(lo.map(|x| f64x2_eq(x, lo_value))).trailing_zeros() as usize;
        let hi_at = bits(hi.map(|x| f64x2_eq(x, hi_value))).trailing_zeros() as usize;
        let sum = f64x2_add(f64x2_add(sum[0], sum[1]), f64x2_add(sum[2], sum[3]));
        let mask = bits(valid);
        LeafSummary {
            leaf: Leaf {
                mask,
                lo: lo_at as u8,
                hi: hi_at as u8,
            },
            lo_value: points[lo_at],
            hi_value: points[hi_at],
            sum: f64x2_extract_lane::<0>(sum) + f64x2_extract_lane::<1>(sum),
        }
    }
}

/// One level of nodes, as columns; node i covers points
/// `[i * size, (i + 1) * size)`.
#[derive(Clone, Debug, Default, PartialEq)]
struct Level {
    lo: Vec<u32>,
    hi: Vec<u32>,
    count: Vec<u32>,
    sum: Vec<f64>,
    /// `values[lo[i]]` and `values[hi[i]]`.
    lo_value: Vec<f64>,
    hi_value: Vec<f64>,
}

/// Bytes one node takes across a level's columns.
const NODE_BYTES: usize = 3 * std::mem::size_of::<u32>() + 3 * std::mem::size_of::<f64>();

impl Level {
    fn len(&self) -> usize {
        self.count.len()
    }

    fn resize(&mut self, n: usize) {
        grow(&mut self.lo, n, 0);
        grow(&mut self.hi, n, 0);
        grow(&mut self.count, n, 0);
        grow(&mut self.sum, n, 0.0);
        grow(&mut self.lo_value, n, 0.0);
        grow(&mut self.hi_value, n, 0.0);
    }

    fn set(&mut self, i: usize, node: &Acc) {
        self.lo[i] = node.lo as u32;
        self.hi[i] = node.hi as u32;
        self.count[i] = node.count as u32;
        self.sum[i] = node.sum;
        self.lo_value[i] = node.lo_value;
        self.hi_value[i] = node.hi_value;
    }
}

/// Resizes `v` to `n`; when a vector that holds something must reallocate,
/// it leaves room for 1/16 more, not the doubling `Vec` would: a series
/// grows by a minute at a time for ever, and doubling would leave the
/// summary up to twice its size. A first build takes just what it needs.
fn grow<T: Clone>(v: &mut Vec<T>, n: usize, fill: T) {
    if n > v.capacity() {
        let room = if v.is_empty() { 0 } else { n / 16 };
        v.reserve_exact(n - v.len() + room);
    }
    v.resize(n, fill);
}

/// The summary of one column of values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pyramid {
    len: usize,
    leaves: Vec<Leaf>,
    /// `levels[k]` has nodes of `NODE * FANOUT^k` points; the last level
    /// has a single node.
    levels: Vec<Level>,
}

/// Exact extremes of the valid points in a range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Extremes {
    /// Number of points holding a value.
    pub count: usize,
    /// Index of the first occurrence of the minimum.
    pub min: usize,
    /// Index of the first occurrence of the maximum.
    pub max: usize,
}

impl From<Extremes> for (usize, usize) {
    /// Where the minimum and the maximum are.
    fn from(e: Extremes) -> (usize, usize) {
        (e.min, e.max)
    }
}

/// Running min/max/count/sum while folding pieces of a range.
#[derive(Clone, Copy, Debug)]
struct Acc {
    count: usize,
    sum: f64,
    lo: usize,
    lo_value: f64,
    hi: usize,
    hi_value: f64,
}

impl Acc {
    fn new() -> Acc {
        Acc {
            count: 0,
            sum: 0.0,
            lo: 0,
            lo_value: f64::INFINITY,
            hi: 0,
            hi_value: f64::NEG_INFINITY,
        }
    }

    /// Offers candidate extremes. Pieces are offered in index order, so a
    /// strict comparison keeps the first occurrence of a tie.
    #[inline(always)]
    fn offer(&mut self, lo: usize, lo_value: f64, hi: usize, hi_value: f64) {
        if lo_value < self.lo_value {
            self.lo = lo;
            self.lo_value = lo_value;
        }
        if hi_value > self.hi_value {
            self.hi = hi;
            self.hi_value = hi_value;
        }
    }

    /// Offers one point; NaN counts for nothing and compares false.
    #[inline(always)]
    fn point(&mut self, i: usize, v: f64) {
        self.count += !v.is_nan() as usize;
        self.offer(i, v, i, v);
    }

    #[inline(always)]
    fn points(&mut self, values: &[f64], r: Range<usize>) {
        for i in r {
            self.point(i, values[i]);
        }
    }

    #[inline(always)]
    fn leaves(&mut self, values: &[f64], leaves: &[Leaf], r: Range<usize>) {
        for l in r {
            let leaf = leaves[l];
            if leaf.mask != 0 {
                let (lo, hi) = (l * LEAF + leaf.lo as usize, l * LEAF + leaf.hi as usize);
                self.count += leaf.mask.count_ones() as usize;
                self.offer(lo, values[lo], hi, values[hi]);
            }
        }
    }

    #[inline(always)]
    fn nodes(&mut self, level: &Level, r: Range<usize>) {
        for i in r {
            if level.count[i] > 0 {
                self.count += level.count[i] as usize;
                self.sum += level.sum[i];
                self.offer(
                    level.lo[i] as usize,
                    level.lo_value[i],
                    level.hi[i] as usize,
                    level.hi_value[i],
                );
            }
        }
    }

    /// `nodes` for nodes known to be full, when only the extremes are
    /// wanted: reads the extreme values alone, and the indices only of the
    /// nodes that win (count and sum are left as they were).
    #[inline(always)]
    fn full_nodes(&mut self, level: &Level, r: Range<usize>) {
        let (mut lo_node, mut hi_node) = (None, None);
        for i in r {
            if level.lo_value[i] < self.lo_value {
                self.lo_value = level.lo_value[i];
                lo_node = Some(i);
            }
            if level.hi_value[i] > self.hi_value {
                self.hi_value = level.hi_value[i];
                hi_node = Some(i);
            }
        }
        if let Some(i) = lo_node {
            self.lo = level.lo[i] as usize;
        }
        if let Some(i) = hi_node {
            self.hi = level.hi[i] as usize;
        }
    }

    fn extremes(&self) -> Option<Extremes> {
        (self.count > 0).then_some(Extremes {
            count: self.count,
            min: self.lo,
            max: self.hi,
        })
    }
}

/// The fold behind `Pyramid::stretches_flat`.
struct Stretches<'a, F> {
    values: &'a [f64],
    leaves: &'a [Leaf],
    /// The stretch being folded.
    open: Option<Stretch>,
    emit: F,
}

/// An unbroken stretch of valid points `first..=last`, with its first
/// minimum and first maximum.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stretch {
    pub first: usize,
    pub last: usize,
    pub lo: usize,
    pub lo_value: f64,
    pub hi: usize,
    pub hi_value: f64,
}

impl<F: FnMut(&Stretch)> Stretches<'_, F> {
    /// Adds the block `first..=last`, all valid, with its extremes
    /// `lo_value` at `lo` and `hi_value` at `hi`.
    #[inline(always)]
    fn join(
        &mut self,
        first: usize,
        (lo, lo_value): (usize, f64),
        (hi, hi_value): (usize, f64),
        last: usize,
    ) {
        match &mut self.open {
            None => {
                self.open = Some(Stretch {
                    first,
                    last,
                    lo,
                    lo_value,
                    hi,
                    hi_value,
                })
            }
            Some(open) => {
                // Blocks come in index order: strict comparisons keep the
                // first of equal extremes.
                if lo_value < open.lo_value {
                    (open.lo, open.lo_value) = (lo, lo_value);
                }
                if hi_value > open.hi_value {
                    (open.hi, open.hi_value) = (hi, hi_value);
                }
                open.last = last;
            }
        }
    }

    /// Ends the open stretch, if any, at a point without data.
    #[inline(always)]
    fn close(&mut self) {
        if let Some(open) = self.open.take() {
            (self.emit)(&open);
        }
    }

    #[inline(always)]
    fn points(&mut self, r: Range<usize>) {
        for i in r {
            if self.values[i].is_nan() {
                self.close();
            } else {
                let v = self.values[i];
                self.join(i, (i, v), (i, v), i);
            }
        }
    }

    #[inline(always)]
    fn leaf(&mut self, l: usize) {
        let leaf = self.leaves[l];
        let first = l * LEAF;
        match leaf.mask {
            u8::MAX => {
                let (lo, hi) = (first + leaf.lo as usize, first + leaf.hi as usize);
                self.join(
                    first,
                    (lo, self.values[lo]),
                    (hi, self.values[hi]),
                    first + LEAF - 1,
                )
            }
            0 => self.close(),
            _ => self.points(first..first + LEAF),
        }
    }
}

/// A piece of a decomposed range: points to look at one by one, whole
/// leaves, or whole nodes of one level.
enum Piece {
    Points(Range<usize>),
    Leaves(Range<usize>),
    Nodes(usize, Range<usize>),
}

impl Pyramid {
    /// Summarises `values` in one pass.
    pub fn build(values: &[f64]) -> Pyramid {
        let mut p = Pyramid::default();
        p.update(values, 0..values.len());
        p
    }

    /// Number of points summarised.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether an infinite value was summarised: it would be the minimum or
    /// the maximum of the whole.
    pub fn holds_infinity(&self) -> bool {
        self.levels.last().is_some_and(|top| {
            top.count.first().is_some_and(|&c| c > 0)
                && (top.lo_value[0] == f64::NEG_INFINITY || top.hi_value[0] == f64::INFINITY)
        })
    }

    /// Heap bytes held by the summary.
    pub fn heap_bytes(&self) -> usize {
        self.leaves.capacity() * std::mem::size_of::<Leaf>()
            + self
                .levels
                .iter()
                .map(|l| l.count.capacity() * NODE_BYTES)
                .sum::<usize>()
    }

    /// Brings the summary up to date after `values[changed]` were written,
    /// `values` grew, or both. Costs O(changed + log n), so appending a
    /// minute at the end is cheap.
    pub fn update(&mut self, values: &[f64], changed: Range<usize>) {
        self.update_with(values.len(), changed, |p, nodes| {
            // In blocks, one call each: a browser replaces a wasm function
            // with its optimised code between calls, never during one, so
            // the first long build on a fresh page would otherwise run all
            // of its points in the baseline code (ten times slower).
            let mut start = nodes.start;
            while start < nodes.end {
                let end = nodes.end.min(start + BUILD_BLOCK);
                p.summarise_nodes(values, start..end);
                start = end;
            }
        });
    }

    /// The summary of `n` missing points, without reading them: what
    /// `build` gives for `n` NaNs, in O(n / 64) rather than O(n) (a series
    /// reserved for a load is all gaps until its chunks come).
    pub fn of_gaps(n: usize) -> Pyramid {
        let mut p = Pyramid::default();
        p.update_with(n, 0..n, |p, nodes| {
            for node in nodes {
                p.levels[0].set(node, &Acc::new());
            }
        });
        p
    }

    /// `update` for `n` points, the first-level nodes in `changed` made by
    /// `first_level` (their leaves with them).
    fn update_with(
        &mut self,
        n: usize,
        changed: Range<usize>,
        first_level: impl FnOnce(&mut Pyramid, Range<usize>),
    ) {
        if n < self.len {
            // Shrinking never happens in a series; start over rather than
            // track which nodes lost children.
            *self = Pyramid::default();
        }
        let changed = if n != self.len {
            changed.start.min(self.len)..n
        } else {
            changed.start.min(n)..changed.end.min(n)
        };
        self.len = n;
        grow(&mut self.leaves, n.div_ceil(LEAF), Leaf::default());
        // First level: rebuilt from the points, leaves with it.
        let mut size = NODE;
        let mut count = n.div_ceil(size).max(1);
        if self.levels.is_empty() {
            self.levels.push(Level::default());
        }
        self.levels[0].resize(count);
        let first_node = changed.start / NODE;
        let end_node = changed.end.div_ceil(NODE).min(count);
        first_level(self, first_node..end_node);
        // Upper levels, until one node covers everything.
        let (mut lo, mut hi) = (first_node, end_node);
        let mut k = 0;
        while count > 1 {
            size *= FANOUT;
            count = n.div_ceil(size);
            if self.levels.len() == k + 1 {
                self.levels.push(Level::default());
            }
            self.levels[k + 1].resize(count);
            lo /= FANOUT;
            hi = hi.div_ceil(FANOUT).min(count);
            for node in lo..hi {
                let acc = self.combine_children(k, node);
                self.levels[k + 1].set(node, &acc);
            }
            k += 1;
        }
        self.levels.truncate(k + 1);
    }

    /// First-level nodes `nodes`, and their leaves, from the points.
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    #[inline(never)]
    fn summarise_nodes(&mut self, values: &[f64], nodes: Range<usize>) {
        for node in nodes {
            let acc = self.summarise_node(values, node);
            self.levels[0].set(node, &acc);
        }
    }

    /// Leaves of first-level node `node`, and the node itself, from the points.
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    #[inline]
    fn summarise_node(&mut self, values: &[f64], node: usize) -> Acc {
        let start = node * NODE;
        let end = (start + NODE).min(values.len());
        let mut acc = Acc::new();
        for (j, chunk) in values[start..end].chunks(LEAF).enumerate() {
            let base = start + j * LEAF;
            let s = match <&[f64; LEAF]>::try_from(chunk) {
                Ok(full) => LeafSummary::of_full(full),
                Err(_) => LeafSummary::of(chunk),
            };
            self.leaves[base / LEAF] = s.leaf;
            if s.leaf.mask != 0 {
                acc.count += s.leaf.mask.count_ones() as usize;
                acc.sum += s.sum;
                acc.offer(
                    base + s.leaf.lo as usize,
                    s.lo_value,
                    base + s.leaf.hi as usize,
                    s.hi_value,
                );
            }
        }
        acc
    }

    /// Node `node` of level `k + 1` from its children on level `k`.
    fn combine_children(&self, k: usize, node: usize) -> Acc {
        let level = &self.levels[k];
        let children = node * FANOUT..((node + 1) * FANOUT).min(level.len());
        let mut acc = Acc::new();
        acc.nodes(level, children);
        acc
    }

    /// Splits `range` into as few pieces as the levels allow: single points
    /// at the ragged edges, then whole leaves (when `use_leaves`), then whole
    /// nodes, coarser towards the middle; and visits them in index order.
    fn decompose(&self, range: Range<usize>, use_leaves: bool, mut visit: impl FnMut(Piece)) {
        let (mut lo, mut hi) = (range.start, range.end.min(self.len));
        if lo >= hi {
            return;
        }
        // tier 0 = points, 1 = leaves (optional), then levels 0, 1, …
        let first_level_tier = if use_leaves { 2 } else { 1 };
        let tiers = first_level_tier + self.levels.len();
        // log2 of how many units of one tier make a unit of the next.
        let shift_up = |tier: usize| -> u32 {
            match (tier, use_leaves) {
                (0, true) => LEAF_SHIFT,
                (0, false) => NODE_SHIFT,
                _ => FANOUT_SHIFT,
            }
        };
        let piece = |tier: usize, r: Range<usize>| -> Piece {
            match tier {
                0 => Piece::Points(r),
                1 if use_leaves => Piece::Leaves(r),
                t => Piece::Nodes(t - first_level_tier, r),
            }
        };
        // Right-hand pieces wait here (at most one a tier) until the middle
        // is visited, then go in reverse: that is index order.
        let mut right: [Option<(usize, Range<usize>)>; 16] = Default::default();
        let mut waiting = 0;
        for tier in 0..tiers {
            let sh = shift_up(tier);
            let up = ((lo + (1 << sh) - 1) >> sh) << sh;
            let down = (hi >> sh) << sh;
            if tier + 1 == tiers || up >= down || waiting == right.len() {
                visit(piece(tier, lo..hi));
                break;
            }
            if lo < up {
                visit(piece(tier, lo..up));
            }
            if down < hi {
                right[waiting] = Some((tier, down..hi));
                waiting += 1;
            }
            lo = up >> sh;
            hi = down >> sh;
        }
        for (tier, r) in right[..waiting].iter_mut().rev().filter_map(Option::take) {
            visit(piece(tier, r));
        }
    }

    /// Exact count, first minimum and first maximum of the valid points in
    /// `range`, or None when it holds none.
    pub fn extremes(&self, values: &[f64], range: Range<usize>) -> Option<Extremes> {
        let mut acc = Acc::new();
        self.decompose(range, true, |piece| match piece {
            Piece::Points(r) => acc.points(values, r),
            Piece::Leaves(r) => acc.leaves(values, &self.leaves, r),
            Piece::Nodes(k, r) => acc.nodes(&self.levels[k], r),
        });
        acc.extremes()
    }

    /// `range` as one stretch, when every point in it holds a value and it
    /// spans at least one whole first-level node; None otherwise (fold it
    /// with `stretches_flat`). The dense columns of a long view, in O(nodes)
    /// reads of the nodes' arrays: the values at a ragged edge are read
    /// only when the extreme of the node around that edge lies outside the
    /// range and could still beat the middle's.
    pub fn dense_stretch(&self, values: &[f64], range: Range<usize>) -> Option<Stretch> {
        let (start, end) = (range.start, range.end.min(self.len));
        let (a, b) = (start.next_multiple_of(NODE), end & !(NODE - 1));
        let level = self.levels.first()?;
        if a >= b || !self.all_full(start / NODE..end.div_ceil(NODE)) {
            return None;
        }
        let mut middle = Acc::new();
        middle.full_nodes(level, a / NODE..b / NODE);
        let mut acc = Acc::new();
        if start < a {
            // Before the middle: an equal value here is the first occurrence.
            let (lo, hi) = self.edge(values, start..a, middle.lo_value, middle.hi_value, true);
            acc.offer(lo.0, lo.1, hi.0, hi.1);
        }
        acc.offer(middle.lo, middle.lo_value, middle.hi, middle.hi_value);
        if b < end {
            let (lo, hi) = self.edge(values, b..end, acc.lo_value, acc.hi_value, false);
            acc.offer(lo.0, lo.1, hi.0, hi.1);
        }
        Some(Stretch {
            first: start,
            last: end - 1,
            lo: acc.lo,
            lo_value: acc.lo_value,
            hi: acc.hi,
            hi_value: acc.hi_value,
        })
    }

    /// Whether first-level node `i` holds a value at every point.
    fn node_full(&self, i: usize) -> bool {
        self.levels[0].count[i] as usize == self.node_span(0, i)
    }

    /// Whether first-level nodes `nodes` hold a value at every point: asked
    /// of their parents where they can tell (a full parent has full
    /// children), so the children's counts are read only around gaps.
    fn all_full(&self, nodes: Range<usize>) -> bool {
        let Some(parents) = self.levels.get(1) else {
            return nodes.into_iter().all(|i| self.node_full(i));
        };
        let mut i = nodes.start;
        while i < nodes.end {
            let parent = i / FANOUT;
            let children_end = ((parent + 1) * FANOUT).min(nodes.end);
            if parents.count[parent] as usize != self.node_span(1, parent)
                && !(i..children_end).all(|c| self.node_full(c))
            {
                return false;
            }
            i = children_end;
        }
        true
    }

    /// The extremes of `r`, part of one full first-level node, that could
    /// matter beside the extremes `lo_bar` and `hi_bar` of the rest of a
    /// range; `before` when `r` comes first (so it wins ties). An extreme
    /// that cannot matter comes back as ±infinity. When the node's own
    /// extreme lies in `r`, it is the answer; when it lies outside and is
    /// no better than the bar, nothing in `r` is; only else is `r` looked
    /// into: its whole leaves by their extremes, its odd points one by one.
    fn edge(
        &self,
        values: &[f64],
        r: Range<usize>,
        lo_bar: f64,
        hi_bar: f64,
        before: bool,
    ) -> ((usize, f64), (usize, f64)) {
        let level = &self.levels[0];
        let node = r.start / NODE;
        let (lo, lo_value) = (level.lo[node] as usize, level.lo_value[node]);
        let (hi, hi_value) = (level.hi[node] as usize, level.hi_value[node]);
        let hopeless_lo = if before {
            lo_value > lo_bar
        } else {
            lo_value >= lo_bar
        };
        let hopeless_hi = if before {
            hi_value < hi_bar
        } else {
            hi_value <= hi_bar
        };
        let lo_known = r.contains(&lo) || hopeless_lo;
        let hi_known = r.contains(&hi) || hopeless_hi;
        if lo_known && hi_known {
            let pick =
                |at: usize, value: f64, none: f64| (at, if r.contains(&at) { value } else { none });
            return (
                pick(lo, lo_value, f64::INFINITY),
                pick(hi, hi_value, f64::NEG_INFINITY),
            );
        }
        // Inside one full node, so every point holds a value.
        let (a, b) = (r.start.next_multiple_of(LEAF), r.end & !(LEAF - 1));
        let mut acc = Acc::new();
        if a >= b {
            acc.points(values, r);
        } else {
            acc.points(values, r.start..a);
            acc.leaves(values, &self.leaves, a / LEAF..b / LEAF);
            acc.points(values, b..r.end);
        }
        ((acc.lo, acc.lo_value), (acc.hi, acc.hi_value))
    }

    /// The unbroken stretches of valid points in `range`, each given to
    /// `emit` in order. One
    /// flat pass over points, leaves and first-level nodes: a full node or
    /// leaf joins the open stretch whole, an empty one closes it, a partial
    /// one is looked into. Made for M4's columns (a few dozen nodes); it is
    /// O(length) for long ranges.
    pub fn stretches_flat(&self, values: &[f64], range: Range<usize>, emit: impl FnMut(&Stretch)) {
        let (start, end) = (range.start, range.end.min(self.len));
        let mut fold = Stretches {
            values,
            leaves: &self.leaves,
            open: None,
            emit,
        };
        let round_up = |i: usize, size: usize| (i + size - 1) & !(size - 1);
        let (leaf_a, leaf_b) = (round_up(start, LEAF), end & !(LEAF - 1));
        if leaf_a >= leaf_b {
            fold.points(start..end);
        } else {
            fold.points(start..leaf_a);
            let (node_a, node_b) = (round_up(leaf_a, NODE), leaf_b & !(NODE - 1));
            if node_a >= node_b {
                (leaf_a / LEAF..leaf_b / LEAF).for_each(|l| fold.leaf(l));
            } else {
                (leaf_a / LEAF..node_a / LEAF).for_each(|l| fold.leaf(l));
                let level = &self.levels[0];
                for i in node_a / NODE..node_b / NODE {
                    match level.count[i] as usize {
                        NODE => fold.join(
                            i * NODE,
                            (level.lo[i] as usize, level.lo_value[i]),
                            (level.hi[i] as usize, level.hi_value[i]),
                            (i + 1) * NODE - 1,
                        ),
                        0 => fold.close(),
                        _ => (i * FANOUT..(i + 1) * FANOUT).for_each(|l| fold.leaf(l)),
                    }
                }
                (node_b / LEAF..leaf_b / LEAF).for_each(|l| fold.leaf(l));
            }
            fold.points(leaf_b..end);
        }
        fold.close();
    }

    /// Reads, ahead of a fold, what it will read around each of `edges`
    /// (the slots where columns begin). A column reads values only there:
    /// its first and last value, and its ragged edges when they may hold
    /// its extremes; the rest comes from the node arrays. An edge between
    /// whole first-level nodes has no ragged part, so the two values beside
    /// it are all; inside a node, its values (one per cache line), its
    /// leaves and the indices of its extremes are read. The reads do not
    /// depend on one another, so the processor has many cache misses in
    /// flight at once; the fold that follows, whose comparisons serialise
    /// it, then finds them cached. Worth it when many series are drawn and
    /// their data is cold.
    pub fn warm(&self, values: &[f64], edges: impl Iterator<Item = usize>) {
        let value = |i: usize| values.get(i).map_or(0, |v| v.to_bits());
        let mut acc = 0u64;
        for edge in edges {
            if edge.is_multiple_of(NODE) {
                acc ^= value(edge.wrapping_sub(1)) ^ value(edge);
                continue;
            }
            let node = edge & !(NODE - 1);
            acc ^= (node..node + NODE)
                .step_by(LEAF)
                .map(value)
                .fold(0, |a, b| a ^ b);
            acc ^= self
                .leaves
                .get(node / LEAF)
                .map_or(0, |l| u64::from(l.mask));
            if let Some(level) = self.levels.first() {
                let i = node / NODE;
                acc ^= u64::from(level.lo.get(i).copied().unwrap_or(0))
                    ^ u64::from(level.hi.get(i).copied().unwrap_or(0));
            }
        }
        std::hint::black_box(acc);
    }

    /// Exact sum and count of the valid points in `range` (the sum is
    /// accumulated block by block, so it may differ from a left-to-right sum
    /// in the last bits).
    pub fn sum_count(&self, values: &[f64], range: Range<usize>) -> (f64, usize) {
        let (mut sum, mut count) = (0.0, 0);
        let mut add_points = |r: Range<usize>| {
            for &v in &values[r] {
                if !v.is_nan() {
                    sum += v;
                    count += 1;
                }
            }
        };
        let mut node_sum = 0.0;
        let mut node_count = 0;
        self.decompose(range, false, |piece| match piece {
            Piece::Points(r) => add_points(r),
            // Leaves carry no sums; `decompose` yields none when told not
            // to, and were one to come, its points give the same answer.
            Piece::Leaves(r) => add_points(r.start * LEAF..(r.end * LEAF).min(self.len)),
            Piece::Nodes(k, r) => {
                let level = &self.levels[k];
                node_sum += level.sum[r.clone()].iter().sum::<f64>();
                node_count += level.count[r].iter().map(|&c| c as usize).sum::<usize>();
            }
        });
        (sum + node_sum, count + node_count)
    }

    /// Number of points covered by node `i` of level `k` (the last one may
    /// be partial).
    fn node_span(&self, k: usize, i: usize) -> usize {
        let size = 1 << node_shift(k);
        (self.len - i * size).min(size)
    }

    /// The end of the stretch starting at `pos` (and ending by `end`) whose
    /// points all hold a value (`valid`) or all hold none (`!valid`).
    /// O(log n) whatever the stretch's length.
    pub fn run_end(&self, pos: usize, end: usize, valid: bool) -> usize {
        let end = end.min(self.len);
        let mut pos = pos;
        'outer: while pos < end {
            // Largest whole node starting at `pos` that is uniform: skip it.
            for k in (0..self.levels.len()).rev() {
                let shift = node_shift(k);
                let size = 1 << shift;
                if pos & (size - 1) == 0 && pos + size <= end {
                    let i = pos >> shift;
                    let count = self.levels[k].count[i] as usize;
                    if (valid && count == self.node_span(k, i)) || (!valid && count == 0) {
                        pos += size;
                        continue 'outer;
                    }
                }
            }
            // Within a leaf, the mask says how far the stretch goes.
            let leaf = pos / LEAF;
            let offset = pos % LEAF;
            let bits = self.leaves[leaf].mask >> offset;
            let same = if valid {
                bits.trailing_ones()
            } else {
                bits.trailing_zeros()
            } as usize;
            let leaf_end = (leaf + 1) * LEAF;
            let stop = (pos + same).min(leaf_end);
            if stop < leaf_end {
                return stop.min(end);
            }
            pos = leaf_end;
        }
        end
    }

    /// Index of the last valid point in `range`, or None. O(log n) plus the
    /// length of the stretch without data at its end, in steps of whole
    /// leaves and nodes.
    pub fn last_valid(&self, range: Range<usize>) -> Option<usize> {
        let start = range.start;
        let mut end = range.end.min(self.len);
        while end > start {
            // Skip whole empty first-level nodes ending at `end`.
            if end.is_multiple_of(NODE)
                && end - start >= NODE
                && self.levels[0].count[end / NODE - 1] == 0
            {
                end -= NODE;
                continue;
            }
            let leaf = (end - 1) / LEAF;
            let leaf_start = (leaf * LEAF).max(start);
            // Bits of the leaf from `leaf_start` to `end - 1`.
            let width = end - leaf * LEAF;
            let keep = if width >= 8 { 0xFF } else { (1u8 << width) - 1 };
            let mut mask = self.leaves[leaf].mask & keep;
            let skip = leaf_start - leaf * LEAF;
            mask &= !((1u16 << skip) - 1) as u8;
            if mask != 0 {
                return Some(leaf * LEAF + 7 - mask.leading_zeros() as usize);
            }
            end = leaf_start;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{values_with_gaps as random_values, Rng};

    fn brute_extremes(values: &[f64], r: Range<usize>) -> Option<Extremes> {
        let mut acc = Acc::new();
        for i in r {
            acc.point(i, values[i]);
        }
        acc.extremes()
    }

    #[test]
    fn range_min_max_count_and_sum_equal_brute_force_on_random_data_with_gaps() {
        let mut rng = Rng(7);
        for case in 0..200 {
            let n = 1 + rng.below(if case % 10 == 0 { 40_000 } else { 3_000 });
            let values = random_values(&mut rng, n);
            let p = Pyramid::build(&values);
            for _ in 0..50 {
                let a = rng.below(n + 1);
                let b = a + rng.below(n + 1 - a);
                assert_eq!(
                    p.extremes(&values, a..b),
                    brute_extremes(&values, a..b),
                    "n={n} range {a}..{b}"
                );
                let (sum, count) = p.sum_count(&values, a..b);
                let brute: Vec<f64> = values[a..b]
                    .iter()
                    .copied()
                    .filter(|v| !v.is_nan())
                    .collect();
                assert_eq!(
                    (sum, count),
                    (brute.iter().sum(), brute.len()),
                    "n={n} {a}..{b}"
                );
            }
        }
    }

    #[test]
    fn stretches_with_and_without_data_end_where_the_values_say() {
        let mut rng = Rng(11);
        for _ in 0..100 {
            let n = 1 + rng.below(5_000);
            let values = random_values(&mut rng, n);
            let p = Pyramid::build(&values);
            for _ in 0..50 {
                let pos = rng.below(n);
                let end = pos + rng.below(n - pos + 1);
                for valid in [true, false] {
                    let brute = (pos..end)
                        .find(|&i| values[i].is_nan() == valid)
                        .unwrap_or(end);
                    assert_eq!(p.run_end(pos, end, valid), brute, "{pos}..{end} {valid}");
                }
                let brute_last = (pos..end).rev().find(|&i| !values[i].is_nan());
                assert_eq!(p.last_valid(pos..end), brute_last, "{pos}..{end}");
            }
        }
    }

    #[test]
    fn a_dense_stretch_equals_the_flat_fold_and_keeps_the_first_of_equal_extremes() {
        let mut rng = Rng(17);
        let mut answered = 0;
        for case in 0..200 {
            let n = 1 + rng.below(20_000);
            // Few distinct values, so extremes tie all the time; now and
            // then a missing point, so some ranges are not dense.
            let levels = 2 + rng.below(if case % 2 == 0 { 3 } else { 1_000 });
            let mut values: Vec<f64> = (0..n).map(|_| rng.below(levels) as f64).collect();
            for _ in 0..rng.below(3) {
                values[rng.below(n)] = f64::NAN;
            }
            let p = Pyramid::build(&values);
            for _ in 0..50 {
                let start = rng.below(n);
                let end = start + rng.below((n - start).min(3_000) + 1);
                let mut flat = Vec::new();
                p.stretches_flat(&values, start..end, |s| flat.push(*s));
                match p.dense_stretch(&values, start..end) {
                    Some(dense) => {
                        answered += 1;
                        assert_eq!(flat, vec![dense], "{start}..{end} of {n}");
                    }
                    None => {
                        let whole_node = start.next_multiple_of(NODE) < end & !(NODE - 1);
                        // The nodes the range touches, whole.
                        let nodes = start & !(NODE - 1)..end.next_multiple_of(NODE).min(n);
                        let all_valid = values[nodes].iter().all(|v| !v.is_nan());
                        assert!(!(whole_node && all_valid), "{start}..{end} of {n} is dense");
                    }
                }
            }
        }
        assert!(answered > 1_000, "only {answered} dense ranges were tried");
    }

    #[test]
    fn updates_after_writes_and_appends_match_a_fresh_build() {
        let mut rng = Rng(3);
        let mut values = random_values(&mut rng, 1_000);
        let mut p = Pyramid::build(&values);
        for step in 0..500 {
            if step % 3 == 0 {
                let a = rng.below(values.len());
                let b = (a + rng.below(200)).min(values.len());
                for v in &mut values[a..b] {
                    *v = rng.below(100) as f64;
                }
                p.update(&values, a..b);
            } else {
                let old = values.len();
                for _ in 0..rng.below(70) {
                    values.push(if rng.below(5) == 0 {
                        f64::NAN
                    } else {
                        step as f64
                    });
                }
                p.update(&values, old..values.len());
            }
            assert_eq!(p, Pyramid::build(&values), "step {step}");
        }
    }

    #[test]
    fn the_summary_costs_well_under_fifteen_percent_of_the_values() {
        let values = vec![1.0; 662_400];
        let p = Pyramid::build(&values);
        let raw = values.len() * 8;
        assert!(p.heap_bytes() * 100 < raw * 15, "{} bytes", p.heap_bytes());
    }

    #[test]
    fn empty_and_out_of_range_queries_are_harmless() {
        let p = Pyramid::build(&[]);
        assert_eq!(p.extremes(&[], 0..10), None);
        #[allow(clippy::reversed_empty_ranges)]
        let inverted = 3..1;
        assert_eq!(p.sum_count(&[], inverted), (0.0, 0));
        assert_eq!(p.run_end(0, 10, true), 0);
        assert_eq!(p.last_valid(0..10), None);
        let v = [f64::NAN, 2.0, 1.0];
        let p = Pyramid::build(&v);
        let e = p.extremes(&v, 0..100).unwrap();
        assert_eq!((e.count, e.min, e.max), (2, 2, 1));
    }

    #[test]
    fn the_summary_of_gaps_is_the_summary_of_nans_without_reading_them() {
        for n in [
            0, 1, 7, 8, 9, 63, 64, 65, 511, 512, 513, 4_097, 40_000, 262_145,
        ] {
            assert_eq!(
                Pyramid::of_gaps(n),
                Pyramid::build(&vec![f64::NAN; n]),
                "{n} gaps"
            );
        }
        // And it takes updates like any other.
        let mut values = vec![f64::NAN; 5_000];
        let mut p = Pyramid::of_gaps(values.len());
        values[1_234] = 7.0;
        p.update(&values, 1_234..1_235);
        assert_eq!(p, Pyramid::build(&values));
    }
}
