package allocation

import (
	"cmp"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSortPacked(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tt := range []struct {
		name   string
		hiBits int
		lots   []uint64
	}{
		{"distinct lottery numbers sort by value then lottery", 7, nil},
		{"lottery numbers equal in their leading bits fall back to the whole number", 40, []uint64{1 << 20, 1<<20 + 1, 1<<20 + 2}},
		{"equal lottery numbers fall back to the pair", 3, []uint64{42}},
		{"values leaving no bits for the lottery fall back to it", 55, nil},
		{"no values at all sort by lottery", 0, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := 300
			keyHi, keyLo := make([]uint64, n), make([]uint64, n)
			for p := range n {
				h := rng.Uint64()
				h &= 1<<tt.hiBits - 1
				h >>= 2 // some ties in the value
				keyHi[p] = ^h
				keyLo[p] = rng.Uint64()
				if tt.lots != nil {
					keyLo[p] = tt.lots[rng.IntN(len(tt.lots))]
				}
			}
			key := func(p int32) sortKey { return sortKey{hi: keyHi[p], lo: keyLo[p], pair: p} }
			compare := func(x, y sortKey) int {
				if c := cmp.Compare(x.hi, y.hi); c != 0 {
					return c
				}
				if c := cmp.Compare(x.lo, y.lo); c != 0 {
					return c
				}
				return cmp.Compare(x.pair, y.pair)
			}
			bucket := make([]int32, n)
			for i, p := range rng.Perm(n) {
				bucket[i] = int32(p)
			}
			want := slices.Clone(bucket)
			slices.SortFunc(want, func(p, q int32) int { return compare(key(p), key(q)) })
			ib := bits.Len(uint(n))
			ks := make([]uint64, n)
			for i, p := range bucket {
				ks[i] = packKey(keyHi[p], keyLo[p], tt.hiBits, ib, i)
			}
			sortPacked(bucket, ks, ib, false, &sortBufs{}, key, compare)
			assert.Equal(t, want, bucket, "keys with positions")

			pb := bits.Len(uint(n))
			for i, p := range bucket {
				ks[i] = packKey(keyHi[p], keyLo[p], tt.hiBits, pb, int(p))
			}
			sortPacked(bucket, ks, pb, true, &sortBufs{}, key, compare)
			assert.Equal(t, want, bucket, "keys with pairs")
		})
	}
}

func TestSortKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tt := range []struct {
		name string
		n    int
		key  func() uint64
	}{
		{"a short list sorts by insertion", 40, rng.Uint64},
		{"uniform keys spread over the buckets", 5000, rng.Uint64},
		{"a few value classes with lottery bits below sort within each class", 3000, func() uint64 { return uint64(rng.IntN(4))<<62 | rng.Uint64()>>20 }},
		{"one far outlier puts nearly all keys in one bucket", 4000, func() uint64 {
			if rng.IntN(4000) == 0 {
				return 1 << 63
			}
			return rng.Uint64() >> 40
		}},
		{"many equal keys stay together", 2000, func() uint64 { return uint64(rng.IntN(3)) }},
		{"all keys equal", 500, func() uint64 { return 7 }},
		{"keys at both ends of the range", 1000, func() uint64 { return uint64(rng.IntN(2)) * ^uint64(0) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ks := make([]uint64, tt.n)
			for i := range ks {
				ks[i] = tt.key()
			}
			want := slices.Clone(ks)
			slices.Sort(want)
			var buf sortBufs
			assert.Equal(t, want, sortKeys(slices.Clone(ks), &buf))
			assert.Equal(t, want, sortKeys(ks, &buf), "reused buffers")
		})
	}
}

func TestRanksFromOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, tt := range []struct {
		name          string
		pairs, facs   int
		skip          int // every skip-th pair is in no list (a fixed applicant's); 0: none
		reuseKeys     bool
		scratchTooFew bool
	}{
		{"a few pairs in one block", 1000, 7, 0, true, false},
		{"pairs over several blocks, written by several workers", 700_000, 900, 0, true, false},
		{"pairs in no list get no rank", 600_000, 300, 11, true, false},
		{"scratch too small is replaced", 300_000, 50, 0, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := &engine{nF: tt.facs, pairRank: make([]int32, tt.pairs)}
			var listed []int32
			for p := range tt.pairs {
				if tt.skip == 0 || p%tt.skip != 0 {
					listed = append(listed, int32(p))
				}
			}
			rng.Shuffle(len(listed), func(i, j int) { listed[i], listed[j] = listed[j], listed[i] })
			e.facOrder = listed
			e.facStart = make([]int32, tt.facs+1)
			for f := 1; f < tt.facs; f++ {
				e.facStart[f] = int32(rng.IntN(len(listed) + 1))
			}
			e.facStart[tt.facs] = int32(len(listed))
			slices.Sort(e.facStart)
			want := slices.Repeat([]int32{-1}, tt.pairs)
			for f := range tt.facs {
				for i, p := range e.facOrder[e.facStart[f]:e.facStart[f+1]] {
					want[p] = int32(i)
				}
			}
			scratch := make([]uint64, len(listed))
			if tt.scratchTooFew {
				scratch = scratch[:len(listed)-1]
			}
			used := e.ranksFromOrder(scratch)
			wrong := 0
			for p := range want {
				if e.pairRank[p] != want[p] {
					if wrong == 0 {
						t.Errorf("pair %d: rank %d, want %d", p, e.pairRank[p], want[p])
					}
					wrong++
				}
			}
			assert.Zero(t, wrong, "pairs with a wrong rank")
			assert.Equal(t, !tt.scratchTooFew, len(scratch) > 0 && &used[0] == &scratch[0], "scratch reused")
		})
	}
}
