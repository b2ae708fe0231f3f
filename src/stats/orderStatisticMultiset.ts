import { interpolateBetween } from './interpolateBetween.js';

/** Tuning for OrderStatisticMultiset. */
export interface OrderStatisticMultisetOptions {
  /** Capacity of one sorted block (≥ 4). Default 256; a value ≥ the largest size makes it a single sorted array. */
  blockSize?: number;
}

const DEFAULT_BLOCK_SIZE = 256;

/**
 * Sorted multiset of doubles for exact sliding-window order statistics: a list of sorted
 * Float64Array blocks (after Jenks' sortedcontainers SortedList) indexed by a Fenwick tree over
 * block sizes (Fenwick 1994). With block capacity B and n elements: insert/remove
 * O(log n + B) amortised (block split/merge/rebalance rebuilds the O(n/B) index); select,
 * quantile and countLess O(log(n/B) + log B); min/max O(1); mad O(log² n); copySorted O(n).
 * Zeros are stored as +0 (the sign of zero carries no order); NaN is rejected.
 */
export class OrderStatisticMultiset {
  private readonly blockCapacity: number;
  private readonly mergeBelow: number;
  private blocks: Float64Array[] = [];
  private counts: Int32Array;
  private tree: Int32Array;
  private blockCount = 0;
  private treeTop = 0;
  private total = 0;
  private readonly spareBlocks: Float64Array[] = [];

  constructor(options: OrderStatisticMultisetOptions = {}) {
    const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    if (!Number.isInteger(blockSize) || blockSize < 4)
      throw new RangeError(`OrderStatisticMultiset: blockSize must be an integer ≥ 4, got ${blockSize}`);
    this.blockCapacity = blockSize;
    this.mergeBelow = blockSize >> 2;
    this.counts = new Int32Array(8);
    this.tree = new Int32Array(9);
  }

  /** Number of elements, counting duplicates. */
  get size(): number {
    return this.total;
  }

  /** Adds one occurrence of x. O(log n + B) amortised. */
  insert(x: number): void {
    if (Number.isNaN(x)) throw new RangeError('OrderStatisticMultiset.insert: NaN has no place in an order');
    const value = x + 0;
    if (this.blockCount === 0) {
      this.insertBlock(0, this.takeBlock(), 0);
      this.rebuildIndex();
    }
    const blockIndex = this.blockForInsert(value);
    const block = this.blocks[blockIndex] as Float64Array;
    const count = this.counts[blockIndex] as number;
    const position = upperBound(block, count, value);
    block.copyWithin(position + 1, position, count);
    block[position] = value;
    this.counts[blockIndex] = count + 1;
    this.total++;
    if (count + 1 === this.blockCapacity) this.relieve(blockIndex);
    else this.addToIndex(blockIndex, 1);
  }

  /** Removes one occurrence of x; false when x is absent. O(log n + B) amortised. */
  remove(x: number): boolean {
    if (this.total === 0 || Number.isNaN(x)) return false;
    const value = x + 0;
    const blockIndex = this.firstBlockWithLastAtLeast(value);
    if (blockIndex === this.blockCount) return false;
    const block = this.blocks[blockIndex] as Float64Array;
    const count = this.counts[blockIndex] as number;
    const position = lowerBound(block, count, value);
    if (block[position] !== value) return false;
    block.copyWithin(position, position + 1, count);
    this.counts[blockIndex] = count - 1;
    this.total--;
    if (this.total === 0) this.clear();
    else if (count - 1 < this.mergeBelow && this.blockCount > 1) this.rebalance(blockIndex);
    else this.addToIndex(blockIndex, -1);
    return true;
  }

  /** Removes everything; blocks are kept for reuse. O(n/B). */
  clear(): void {
    for (let index = 0; index < this.blockCount; index++) this.spareBlocks.push(this.blocks[index] as Float64Array);
    this.blocks.length = 0;
    this.blockCount = 0;
    this.total = 0;
    this.rebuildIndex();
  }

  /** The k-th smallest element (0-based), by Fenwick-tree descent. O(log(n/B)). */
  select(k: number): number {
    if (!(Number.isInteger(k) && k >= 0 && k < this.total)) {
      throw new RangeError(
        `OrderStatisticMultiset.select: rank ${k} outside [0, ${this.total})${this.total === 0 ? ' (empty)' : ''}`,
      );
    }
    let blockIndex = 0;
    let rest = k;
    const tree = this.tree;
    for (let step = this.treeTop; step > 0; step >>= 1) {
      const next = blockIndex + step;
      if (next <= this.blockCount && (tree[next] as number) <= rest) {
        blockIndex = next;
        rest -= tree[next] as number;
      }
    }
    return (this.blocks[blockIndex] as Float64Array)[rest] as number;
  }

  /** Number of elements strictly below x. O(log n). */
  countLess(x: number): number {
    if (Number.isNaN(x)) throw new RangeError('OrderStatisticMultiset.countLess: NaN');
    const blockIndex = this.firstBlockWithLastAtLeast(x);
    if (blockIndex === this.blockCount) return this.total;
    return (
      this.prefixCount(blockIndex) +
      lowerBound(this.blocks[blockIndex] as Float64Array, this.counts[blockIndex] as number, x)
    );
  }

  /** Number of elements at or below x. O(log n). */
  countLessOrEqual(x: number): number {
    if (Number.isNaN(x)) throw new RangeError('OrderStatisticMultiset.countLessOrEqual: NaN');
    const blockIndex = this.firstBlockWithLastAbove(x);
    if (blockIndex === this.blockCount) return this.total;
    return (
      this.prefixCount(blockIndex) +
      upperBound(this.blocks[blockIndex] as Float64Array, this.counts[blockIndex] as number, x)
    );
  }

  /** Smallest element. O(1). */
  min(): number {
    this.requireElements('min');
    return (this.blocks[0] as Float64Array)[0] as number;
  }

  /** Largest element. O(1). */
  max(): number {
    this.requireElements('max');
    const last = this.blockCount - 1;
    return (this.blocks[last] as Float64Array)[(this.counts[last] as number) - 1] as number;
  }

  /** Hyndman & Fan (1996) type 7 quantile from two selects; identical to batch `quantile`. O(log n). */
  quantile(p: number): number {
    this.requireElements('quantile');
    if (!(p >= 0 && p <= 1)) throw new RangeError(`OrderStatisticMultiset.quantile: p must lie in [0, 1], got ${p}`);
    const position = (this.total - 1) * p;
    const lowerRank = Math.floor(position);
    const lower = this.select(lowerRank);
    if (lowerRank >= this.total - 1) return lower;
    return interpolateBetween(lower, this.select(lowerRank + 1), position - lowerRank);
  }

  /** Median (type 7 quantile at 0.5). O(log n). */
  median(): number {
    return this.quantile(0.5);
  }

  /**
   * Raw median absolute deviation (Hampel 1974) without copying: the deviations left of the
   * median read backwards and those right of it read forwards are two sorted sequences, so their
   * k-th smallest comes from a binary search over the split (as in merging two sorted arrays),
   * each probe one select. Rounds exactly as batch `mad`. `center` is the median when the
   * caller already has it. O(log² n).
   */
  mad(center: number = this.median()): number {
    this.requireElements('mad');
    const split = this.countLess(center);
    const position = (this.total - 1) * 0.5;
    const lowerRank = Math.floor(position);
    const lower = this.deviationAt(lowerRank, center, split);
    if (lowerRank >= this.total - 1) return lower;
    return interpolateBetween(lower, this.deviationAt(lowerRank + 1, center, split), position - lowerRank);
  }

  /** Contents in ascending order, into `out` when it is large enough. O(n). */
  copySorted(out?: Float64Array): Float64Array {
    const target = out !== undefined && out.length >= this.total ? out : new Float64Array(this.total);
    let offset = 0;
    for (let index = 0; index < this.blockCount; index++) {
      const count = this.counts[index] as number;
      target.set((this.blocks[index] as Float64Array).subarray(0, count), offset);
      offset += count;
    }
    return target;
  }

  /** Calls fn on every element in ascending order. O(n). */
  forEachSorted(fn: (x: number) => void): void {
    for (let index = 0; index < this.blockCount; index++) {
      const block = this.blocks[index] as Float64Array;
      const count = this.counts[index] as number;
      for (let position = 0; position < count; position++) fn(block[position] as number);
    }
  }

  /** k-th smallest |x − center| given that ranks [0, split) hold the elements below center. */
  private deviationAt(k: number, center: number, split: number): number {
    const rightLength = this.total - split;
    let low = Math.max(0, k + 1 - rightLength);
    let high = Math.min(k + 1, split);
    while (low < high) {
      const taken = (low + high) >>> 1;
      if (center - this.select(split - 1 - taken) < this.select(split + k - taken) - center) low = taken + 1;
      else high = taken;
    }
    const fromLeft = low > 0 ? center - this.select(split - low) : -Infinity;
    const fromRight = k - low >= 0 ? this.select(split + k - low) - center : -Infinity;
    return fromLeft > fromRight ? fromLeft : fromRight;
  }

  private requireElements(method: string): void {
    if (this.total === 0) throw new RangeError(`OrderStatisticMultiset.${method}: the multiset is empty`);
  }

  /** First block whose last element exceeds x, else the last block (where x would be appended). */
  private blockForInsert(x: number): number {
    const index = this.firstBlockWithLastAbove(x);
    return index === this.blockCount ? index - 1 : index;
  }

  private firstBlockWithLastAbove(x: number): number {
    let low = 0;
    let high = this.blockCount;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (((this.blocks[middle] as Float64Array)[(this.counts[middle] as number) - 1] as number) > x) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  private firstBlockWithLastAtLeast(x: number): number {
    let low = 0;
    let high = this.blockCount;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (((this.blocks[middle] as Float64Array)[(this.counts[middle] as number) - 1] as number) >= x) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  /** A full block shares with a neighbour below half capacity (as B*-trees do), else splits. */
  private relieve(blockIndex: number): void {
    const half = this.blockCapacity >> 1;
    if (blockIndex + 1 < this.blockCount && (this.counts[blockIndex + 1] as number) < half) this.evenOut(blockIndex);
    else if (blockIndex > 0 && (this.counts[blockIndex - 1] as number) < half) this.evenOut(blockIndex - 1);
    else this.split(blockIndex);
    this.rebuildIndex();
  }

  /** Splits a full block into two halves. */
  private split(blockIndex: number): void {
    const block = this.blocks[blockIndex] as Float64Array;
    const half = this.blockCapacity >> 1;
    const upper = this.takeBlock();
    upper.set(block.subarray(half, this.blockCapacity));
    this.counts[blockIndex] = half;
    this.insertBlock(blockIndex + 1, upper, this.blockCapacity - half);
  }

  /** Merges an underfull block into a neighbour, or evens the pair out when they do not fit in one. */
  private rebalance(blockIndex: number): void {
    const left = blockIndex + 1 < this.blockCount ? blockIndex : blockIndex - 1;
    const right = left + 1;
    const leftCount = this.counts[left] as number;
    const rightCount = this.counts[right] as number;
    if (leftCount + rightCount < this.blockCapacity) {
      (this.blocks[left] as Float64Array).set((this.blocks[right] as Float64Array).subarray(0, rightCount), leftCount);
      this.counts[left] = leftCount + rightCount;
      this.removeBlock(right);
    } else {
      this.evenOut(left);
    }
    this.rebuildIndex();
  }

  /** Moves elements across the boundary of blocks left and left + 1 until their counts differ by at most one. */
  private evenOut(left: number): void {
    const leftBlock = this.blocks[left] as Float64Array;
    const rightBlock = this.blocks[left + 1] as Float64Array;
    const leftCount = this.counts[left] as number;
    const rightCount = this.counts[left + 1] as number;
    const newLeftCount = (leftCount + rightCount) >> 1;
    if (leftCount > newLeftCount) {
      const moved = leftCount - newLeftCount;
      rightBlock.copyWithin(moved, 0, rightCount);
      rightBlock.set(leftBlock.subarray(newLeftCount, leftCount), 0);
    } else {
      const moved = newLeftCount - leftCount;
      leftBlock.set(rightBlock.subarray(0, moved), leftCount);
      rightBlock.copyWithin(0, moved, rightCount);
    }
    this.counts[left] = newLeftCount;
    this.counts[left + 1] = leftCount + rightCount - newLeftCount;
  }

  private takeBlock(): Float64Array {
    return this.spareBlocks.pop() ?? new Float64Array(this.blockCapacity);
  }

  private insertBlock(at: number, block: Float64Array, count: number): void {
    if (this.blockCount === this.counts.length) {
      const grown = new Int32Array(this.counts.length * 2);
      grown.set(this.counts);
      this.counts = grown;
      this.tree = new Int32Array(grown.length + 1);
    }
    this.blocks.splice(at, 0, block);
    this.counts.copyWithin(at + 1, at, this.blockCount);
    this.counts[at] = count;
    this.blockCount++;
  }

  private removeBlock(at: number): void {
    this.spareBlocks.push(this.blocks[at] as Float64Array);
    this.blocks.splice(at, 1);
    this.counts.copyWithin(at, at + 1, this.blockCount);
    this.blockCount--;
  }

  /** Builds the Fenwick tree over block counts in O(blocks). */
  private rebuildIndex(): void {
    const tree = this.tree;
    const blockCount = this.blockCount;
    tree.fill(0, 0, blockCount + 1);
    for (let index = 1; index <= blockCount; index++) {
      tree[index] = (tree[index] as number) + (this.counts[index - 1] as number);
      const parent = index + (index & -index);
      if (parent <= blockCount) tree[parent] = (tree[parent] as number) + (tree[index] as number);
    }
    let top = 1;
    while (top * 2 <= blockCount) top *= 2;
    this.treeTop = blockCount === 0 ? 0 : top;
  }

  private addToIndex(blockIndex: number, delta: number): void {
    const tree = this.tree;
    for (let index = blockIndex + 1; index <= this.blockCount; index += index & -index)
      tree[index] = (tree[index] as number) + delta;
  }

  /** Elements in blocks [0, blockIndex). */
  private prefixCount(blockIndex: number): number {
    let sum = 0;
    for (let index = blockIndex; index > 0; index -= index & -index) sum += this.tree[index] as number;
    return sum;
  }
}

/** First position in block[0, count) holding a value ≥ x. */
function lowerBound(block: Float64Array, count: number, x: number): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((block[middle] as number) < x) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First position in block[0, count) holding a value > x. */
function upperBound(block: Float64Array, count: number, x: number): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((block[middle] as number) <= x) low = middle + 1;
    else high = middle;
  }
  return low;
}
