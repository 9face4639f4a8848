// Package harden fills a profile's production settings into resources that
// already exist, keeping everything the user wrote.
//
// The precedence, from strongest to weakest:
//  1. invariants the function always enforces: no literal database
//     password (it becomes a secretKeyRef), no spec.replicas while the HPA
//     is on, Recreate for a MySQL Deployment on a persistent volume, a
//     termination grace period that covers the preStop wait;
//  2. fields the profile sets explicitly (not by its topology preset), such
//     as spec.wordpress.image or spec.wordpress.readinessProbe;
//  3. the user's own values in the manifest;
//  4. the profile's defaults, filled in only where the manifest has nothing.
//
// # Why not kyaml's merge2
//
// The package edits the YAML nodes itself (Fill, and the overrides and
// invariants in harden.go) rather than calling
// sigs.k8s.io/kustomize/kyaml/yaml/merge2, kustomize's strategic merge of
// two RNodes. merge2.Merge(src, dest) was tried against kyaml v0.21.2, and
// it cannot give the result above:
//
//   - One side wins, per call: the source's value replaces the
//     destination's for every scalar both have. There is no "the user
//     wins, except for the fields the profile sets explicitly, except for
//     the invariants"; four levels would need the profile split in two
//     and three merges, each with the faults below.
//   - The user's object does not come out as written. With the user as
//     destination (the profile wins everything), a scalar both have
//     becomes the source's node and loses the user's line comment. With
//     the user as source (the user wins), the result is built on the
//     profile's object: the profile's key order, with the user's own
//     fields added after it. Fill keeps the user's nodes, comments and key
//     order, and appends what is missing after them.
//   - Everything is merged field by field: mappings recursively, and
//     lists with a merge key (containers, env, ports, volumes) element by
//     element, unless the source carries a $patch: replace directive. Some
//     fields are valid only whole, so merging them makes an invalid or
//     surprising object: a tcpSocket readinessProbe merged with an httpGet
//     one has two handlers; strategy {type: Recreate} merged with the
//     profile's rollingUpdate keeps rollingUpdate, which the API refuses
//     for Recreate; an env var with value merged with one with valueFrom
//     has both. The same goes for selectors (immutable), lifecycle,
//     resources, a volume, podAntiAffinity, capabilities, routes, TLS and
//     HPA metrics. Fill keeps these atomic (see atomic in merge.go): the
//     user's, when present, stands whole.
package harden
