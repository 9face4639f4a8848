package harden

import (
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/expand"
	"github.com/kube-samples/wordpress-fn/fn/internal/ynode"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// override is a field the profile sets explicitly: the profile's value
// replaces the user's (or removes it, when the profile turns it off).
type override struct {
	// container, when set, makes path relative to that container of the
	// workload.
	container string
	path      string
}

// explicitFields lists, for a role, the fields the raw profile sets on
// purpose. A field left to the topology preset is not listed: there the
// user's manifest wins.
func explicitFields(raw *profile.WordPressProfile, role expand.Role) []override {
	s := raw.Spec
	w, e := s.WordPress, s.Database.Embedded
	var out []override
	add := func(cond bool, container, path string) {
		if cond {
			out = append(out, override{container: container, path: path})
		}
	}
	const wp, db = expand.WordPressContainerName, expand.MySQLContainerName
	mysqlRole := expand.RoleMySQL
	if s.Topology == profile.NoHA {
		mysqlRole = expand.RoleWordPress
	}
	// "off" adds nothing: it never takes the user's own settings away.
	security := s.Security.Mode != "" && s.Security.Mode != profile.SecurityOff
	switch role {
	case expand.RoleWordPress:
		add(w.Image != "", wp, "image")
		add(w.Replicas != nil, "", "spec.replicas")
		add(isSet(w.Resources), wp, "resources")
		add(isSet(w.ReadinessProbe), wp, "readinessProbe")
		add(isSet(w.LivenessProbe), wp, "livenessProbe")
		add(isSet(w.StartupProbe), wp, "startupProbe")
		add(isSet(w.PreStop), wp, "lifecycle")
		add(w.TerminationGracePeriodSeconds != nil, "", "spec.template.spec.terminationGracePeriodSeconds")
		add(isSet(w.RollingUpdate), "", "spec.strategy")
		add(w.AntiAffinity.Mode != "" || w.AntiAffinity.TopologyKey != "", "", "spec.template.spec.affinity.podAntiAffinity")
		add(w.AntiAffinity.ZoneSpread != nil, "", "spec.template.spec.topologySpreadConstraints")
		add(security, wp, "securityContext")
		add(security, "", "spec.template.spec.securityContext")
	case expand.RoleWordPressService:
		add(s.Exposure.Mode != "", "", "spec.type")
	case expand.RoleWordPressPVC:
		add(w.Persistence.Size != "", "", "spec.resources.requests.storage")
	case expand.RoleMySQLPVC:
		add(e.Persistence.Size != "", "", "spec.resources.requests.storage")
	case expand.RolePDB:
		add(w.PDB.MaxUnavailable != nil || w.PDB.MinAvailable != nil, "", "spec.maxUnavailable")
		add(w.PDB.MaxUnavailable != nil || w.PDB.MinAvailable != nil, "", "spec.minAvailable")
	case expand.RoleHPA:
		add(w.HPA.MinReplicas != nil, "", "spec.minReplicas")
		add(w.HPA.MaxReplicas != nil, "", "spec.maxReplicas")
		add(w.HPA.TargetCPUUtilization != nil, "", "spec.metrics")
	}
	if role == mysqlRole {
		add(e.Image != "", db, "image")
		add(e.Args != nil, db, "args")
		add(isSet(e.Resources), db, "resources")
		add(isSet(e.ReadinessProbe), db, "readinessProbe")
		add(security, db, "securityContext")
		if role == expand.RoleMySQL {
			add(security, "", "spec.template.spec.securityContext")
		}
	}
	return out
}

// overrides applies the explicit fields of the profile to dst.
func (h *hardener) overrides(d, s *yaml.Node, role expand.Role) {
	for _, o := range explicitFields(h.raw, role) {
		dr, sr := d, s
		if o.container != "" {
			name := o.container
			if n, ok := h.rename[name]; ok {
				name = n
			}
			dc, sc := at(d, containersPath), at(s, containersPath)
			if dc == nil || sc == nil {
				continue
			}
			dr, sr = findElem(dc, "name", name), findElem(sc, "name", name)
			if dr == nil || sr == nil {
				continue
			}
		}
		parent, field := "", o.path
		if i := strings.LastIndex(o.path, "."); i >= 0 {
			parent, field = o.path[:i], o.path[i+1:]
		}
		sp, dp := sr, dr
		if parent != "" {
			sp, dp = at(sr, parent), at(dr, parent)
		}
		sv := ynode.Lookup(sp, field)
		if sv == nil { // the profile turns the field off
			removeField(dp, field)
			continue
		}
		if parent != "" {
			dp = ensure(dr, parent)
		}
		setField(dp, field, yaml.CopyYNode(sv))
	}
}
