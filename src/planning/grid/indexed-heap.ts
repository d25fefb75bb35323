/**
 * A binary min-heap of cell indices with a two-part key (compared first on `k1`, then on
 * `k2`), and an index from cell to heap slot so a cell's key can be changed or the cell
 * removed in O(log n). Everything lives in typed arrays: no object per entry, which is
 * what keeps a million-cell search fast. Both A* (key f, tie-break h) and D* Lite (its
 * two-part key) use it.
 */
export class IndexedHeap {
  private k1: Float64Array;
  private k2: Float64Array;
  private items: Int32Array;
  /** Heap slot of each cell, -1 when the cell is not in the heap. */
  private readonly pos: Int32Array;
  private n = 0;

  /** `cells` is the number of distinct cells (ids 0..cells-1) that may ever be queued. */
  constructor(cells: number, initialCapacity = 1024) {
    const cap = Math.max(16, Math.min(cells, initialCapacity));
    this.k1 = new Float64Array(cap);
    this.k2 = new Float64Array(cap);
    this.items = new Int32Array(cap);
    this.pos = new Int32Array(cells).fill(-1);
  }

  get size(): number {
    return this.n;
  }

  has(cell: number): boolean {
    return this.pos[cell] >= 0;
  }

  /** The smallest cell; -1 when empty. */
  peek(): number {
    return this.n > 0 ? this.items[0] : -1;
  }

  peekK1(): number {
    return this.n > 0 ? this.k1[0] : Infinity;
  }

  peekK2(): number {
    return this.n > 0 ? this.k2[0] : Infinity;
  }

  /** Inserts `cell`, or moves it to its new key if it is already queued. */
  set(cell: number, k1: number, k2: number): void {
    let i = this.pos[cell];
    if (i < 0) {
      if (this.n === this.items.length) this.grow();
      i = this.n++;
      this.items[i] = cell;
      this.pos[cell] = i;
      this.k1[i] = k1;
      this.k2[i] = k2;
      this.up(i);
      return;
    }
    const lower = k1 < this.k1[i] || (k1 === this.k1[i] && k2 < this.k2[i]);
    this.k1[i] = k1;
    this.k2[i] = k2;
    if (lower) this.up(i);
    else this.down(i);
  }

  /** Removes and returns the smallest cell; -1 when empty. */
  pop(): number {
    if (this.n === 0) return -1;
    const top = this.items[0];
    this.removeAt(0);
    return top;
  }

  /** Removes `cell` if it is queued. */
  remove(cell: number): void {
    const i = this.pos[cell];
    if (i >= 0) this.removeAt(i);
  }

  /** Empties the heap (O(size)). */
  clear(): void {
    for (let i = 0; i < this.n; i++) this.pos[this.items[i]] = -1;
    this.n = 0;
  }

  private removeAt(i: number): void {
    const cell = this.items[i];
    this.pos[cell] = -1;
    const last = --this.n;
    if (i === last) return;
    this.move(last, i);
    const p = (i - 1) >> 1;
    if (i > 0 && this.less(i, p)) this.up(i);
    else this.down(i);
  }

  private less(i: number, j: number): boolean {
    const a = this.k1[i];
    const b = this.k1[j];
    return a < b || (a === b && this.k2[i] < this.k2[j]);
  }

  private move(from: number, to: number): void {
    const cell = this.items[from];
    this.items[to] = cell;
    this.k1[to] = this.k1[from];
    this.k2[to] = this.k2[from];
    this.pos[cell] = to;
  }

  private up(i: number): void {
    const cell = this.items[i];
    const a = this.k1[i];
    const b = this.k2[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = this.k1[p];
      if (pk < a || (pk === a && this.k2[p] <= b)) break;
      this.move(p, i);
      i = p;
    }
    this.items[i] = cell;
    this.k1[i] = a;
    this.k2[i] = b;
    this.pos[cell] = i;
  }

  private down(i: number): void {
    const cell = this.items[i];
    const a = this.k1[i];
    const b = this.k2[i];
    const n = this.n;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && this.less(r, l) ? r : l;
      const mk = this.k1[m];
      if (a < mk || (a === mk && b <= this.k2[m])) break;
      this.move(m, i);
      i = m;
    }
    this.items[i] = cell;
    this.k1[i] = a;
    this.k2[i] = b;
    this.pos[cell] = i;
  }

  private grow(): void {
    const cap = this.items.length * 2;
    const k1 = new Float64Array(cap);
    const k2 = new Float64Array(cap);
    const items = new Int32Array(cap);
    k1.set(this.k1);
    k2.set(this.k2);
    items.set(this.items);
    this.k1 = k1;
    this.k2 = k2;
    this.items = items;
  }
}
