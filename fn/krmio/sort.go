package krmio

import (
	"sort"

	"github.com/kptdev/krm-functions-sdk/go/fn"
)

// Sort sorts items as ResourceList.Sort does, to the same order: by the
// string "apiVersion kind namespace name", with sort.Sort. sort.Sort is
// not stable, but it is deterministic: given the same answers from Less it
// makes the same moves, so items with equal keys keep the SDK's order too.
func Sort(items fn.KubeObjects) {
	s := byKey{items: items, keys: make([]string, len(items))}
	for i, it := range items {
		s.keys[i] = it.GetAPIVersion() + " " + it.GetKind() + " " + it.GetNamespace() + " " + it.GetName()
	}
	sort.Sort(s)
}

type byKey struct {
	items fn.KubeObjects
	keys  []string
}

func (s byKey) Len() int           { return len(s.items) }
func (s byKey) Less(i, j int) bool { return s.keys[i] < s.keys[j] }
func (s byKey) Swap(i, j int) {
	s.items[i], s.items[j] = s.items[j], s.items[i]
	s.keys[i], s.keys[j] = s.keys[j], s.keys[i]
}
