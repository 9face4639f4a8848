package expand

import (
	"net"
	"sort"
	"strconv"
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/images"
	"github.com/kube-samples/wordpress-fn/fn/kube"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func ptr[T any](v T) *T { return &v }

func (n *names) meta(name string, labels map[string]string) kube.ObjectMeta {
	return kube.ObjectMeta{Name: name, Namespace: n.ns, Labels: labels}
}

func typeMeta(apiVersion, kind string) kube.TypeMeta {
	return kube.TypeMeta{APIVersion: apiVersion, Kind: kind}
}

func (n *names) namespace() *kube.Namespace {
	level := "baseline"
	if n.p.Spec.Security.Mode == profile.SecurityStrict {
		level = "restricted"
	}
	labels := merge(n.common, map[string]string{"pod-security.kubernetes.io/enforce": level})
	delete(labels, "app")
	return &kube.Namespace{
		TypeMeta:   typeMeta("v1", "Namespace"),
		ObjectMeta: kube.ObjectMeta{Name: n.ns, Labels: labels},
	}
}

// WordPressContainerName and MySQLContainerName are the tutorial's.
const (
	WordPressContainerName = "wordpress"
	MySQLContainerName     = "mysql"
	WordPressDataVolume    = "wordpress-data"
	MySQLDataVolume        = "mysql-data"
	WordPressDataPath      = "/var/www/html"
	MySQLDataPath          = "/var/lib/mysql"
)

func (n *names) wordpressDeployment() *kube.Deployment {
	s := n.p.Spec
	w := s.WordPress
	pod := kube.PodSpec{
		TerminationGracePeriodSeconds: w.TerminationGracePeriodSeconds,
		Containers:                    []kube.Container{n.wordpressContainer()},
		SecurityContext:               n.podSecurity(*s.Security.WordPressUser),
	}
	if s.Topology == profile.NoHA {
		pod.Containers = append(pod.Containers, n.mysqlContainer())
		if profile.On(s.Database.Embedded.Persistence.Enabled) {
			pod.Volumes = append(pod.Volumes, claimVolume(MySQLDataVolume, s.Database.Embedded.Persistence.ClaimName))
		}
	}
	if profile.On(w.Persistence.Enabled) {
		pod.Volumes = append([]kube.Volume{claimVolume(WordPressDataVolume, w.Persistence.ClaimName)}, pod.Volumes...)
	}
	pod.Volumes = append(pod.Volumes, n.readOnlyRoot(&pod.Containers[0], images.WordPress)...)
	if len(pod.Containers) > 1 {
		pod.Volumes = append(pod.Volumes, n.readOnlyRoot(&pod.Containers[1], images.Database)...)
	}
	pod.Affinity = n.affinity()
	if profile.On(w.AntiAffinity.ZoneSpread) {
		pod.TopologySpreadConstraints = []kube.TopologySpreadConstraint{{
			MaxSkew:           1,
			TopologyKey:       profile.ZoneTopologyKey,
			WhenUnsatisfiable: kube.ScheduleAnyway,
			LabelSelector:     &kube.LabelSelector{MatchLabels: n.wpSelector},
		}}
	}
	d := &kube.Deployment{
		TypeMeta:   typeMeta("apps/v1", "Deployment"),
		ObjectMeta: n.meta(n.name, n.wpLabels()),
		Spec: kube.DeploymentSpec{
			Selector: &kube.LabelSelector{MatchLabels: n.wpSelector},
			Template: kube.PodTemplateSpec{
				ObjectMeta: kube.ObjectMeta{Labels: n.wpLabels()},
				Spec:       pod,
			},
		},
	}
	if !profile.On(w.HPA.Enabled) {
		d.Spec.Replicas = w.Replicas
	}
	d.Spec.Strategy = n.wordpressStrategy()
	return d
}

// wordpressStrategy is Recreate when the pod holds MySQL with a volume
// (noha): two MySQL pods must never share one data directory.
func (n *names) wordpressStrategy() kube.DeploymentStrategy {
	s := n.p.Spec
	if s.Topology == profile.NoHA && s.Database.Mode == profile.DatabaseEmbedded {
		return kube.DeploymentStrategy{Type: kube.RecreateDeploymentStrategyType}
	}
	if !profile.On(s.WordPress.RollingUpdate.Enabled) {
		return kube.DeploymentStrategy{}
	}
	return kube.DeploymentStrategy{
		Type: kube.RollingUpdateDeploymentStrategyType,
		RollingUpdate: &kube.RollingUpdateDeployment{
			MaxSurge:       s.WordPress.RollingUpdate.MaxSurge,
			MaxUnavailable: s.WordPress.RollingUpdate.MaxUnavailable,
		},
	}
}

func (n *names) affinity() *kube.Affinity {
	w := n.p.Spec.WordPress
	if w.AntiAffinity.Mode == profile.AntiAffinityNone {
		return nil
	}
	term := kube.PodAffinityTerm{
		TopologyKey:   w.AntiAffinity.TopologyKey,
		LabelSelector: &kube.LabelSelector{MatchExpressions: inSelector(n.wpSelector)},
	}
	anti := &kube.PodAntiAffinity{}
	if w.AntiAffinity.Mode == profile.AntiAffinityHard {
		anti.RequiredDuringSchedulingIgnoredDuringExecution = []kube.PodAffinityTerm{term}
	} else {
		anti.PreferredDuringSchedulingIgnoredDuringExecution = []kube.WeightedPodAffinityTerm{{Weight: 1, PodAffinityTerm: term}}
	}
	return &kube.Affinity{PodAntiAffinity: anti}
}

func (n *names) dbHost() string {
	s := n.p.Spec
	switch {
	case s.Database.Mode == profile.DatabaseExternal:
		// An IPv6 address takes brackets: WordPress reads "fd00::5:3306"
		// as the address fd00::5:3306, port 3306 unsaid.
		return net.JoinHostPort(s.Database.External.Host, strconv.Itoa(int(*s.Database.External.Port)))
	case s.Topology == profile.NoHA:
		// 127.0.0.1, not localhost: PHP's mysqli takes "localhost" for a
		// unix socket, which the mysql container does not share.
		return "127.0.0.1:3306"
	}
	return n.name + "-mysql:3306"
}

func secretEnv(name, secret, key string) kube.EnvVar {
	return kube.EnvVar{Name: name, ValueFrom: &kube.EnvVarSource{
		SecretKeyRef: &kube.SecretKeySelector{LocalObjectReference: kube.LocalObjectReference{Name: secret}, Key: key},
	}}
}

func (n *names) wordpressContainer() kube.Container {
	s := n.p.Spec
	w := s.WordPress
	c := kube.Container{
		Name:            WordPressContainerName,
		Image:           w.Image,
		ImagePullPolicy: kube.PullIfNotPresent,
		Ports:           []kube.ContainerPort{{Name: "http", ContainerPort: n.wpPort, Protocol: kube.ProtocolTCP}},
		Env: []kube.EnvVar{
			{Name: "WORDPRESS_DB_HOST", Value: n.dbHost()},
			{Name: "WORDPRESS_DB_USER", Value: s.Database.User},
			{Name: "WORDPRESS_DB_NAME", Value: s.Database.Name},
			secretEnv("WORDPRESS_DB_PASSWORD", s.Credentials.SecretName, s.Credentials.PasswordKey),
		},
		Resources:       resources(w.Resources),
		ReadinessProbe:  n.probe(w.ReadinessProbe, *w.Port, n.wpPort),
		LivenessProbe:   n.probe(w.LivenessProbe, *w.Port, n.wpPort),
		StartupProbe:    n.probe(w.StartupProbe, *w.Port, n.wpPort),
		SecurityContext: n.containerSecurity(*s.Security.WordPressUser, "CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID", "NET_BIND_SERVICE", "KILL"),
	}
	if profile.On(w.PreStop.Enabled) {
		c.Lifecycle = &kube.Lifecycle{PreStop: &kube.LifecycleHandler{Exec: &kube.ExecAction{Command: w.PreStop.Command}}}
	}
	if profile.On(w.Persistence.Enabled) {
		c.VolumeMounts = []kube.VolumeMount{{Name: WordPressDataVolume, MountPath: n.wpDataPath}}
	}
	return c
}

func (n *names) mysqlContainer() kube.Container {
	s := n.p.Spec
	e := s.Database.Embedded
	cred := s.Credentials
	c := kube.Container{
		Name:            MySQLContainerName,
		Image:           e.Image,
		ImagePullPolicy: kube.PullIfNotPresent,
		Args:            e.Args,
		Ports:           []kube.ContainerPort{{Name: "mysql", ContainerPort: n.dbPort, Protocol: kube.ProtocolTCP}},
		Env: []kube.EnvVar{
			secretEnv("MYSQL_ROOT_PASSWORD", cred.SecretName, cred.RootPasswordKey),
			{Name: "MYSQL_DATABASE", Value: s.Database.Name},
			{Name: "MYSQL_USER", Value: s.Database.User},
			secretEnv("MYSQL_PASSWORD", cred.SecretName, cred.PasswordKey),
		},
		Resources:       resources(e.Resources),
		ReadinessProbe:  n.probe(e.ReadinessProbe, 3306, n.dbPort),
		SecurityContext: n.containerSecurity(*s.Security.MySQLUser, "CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"),
	}
	if profile.On(e.Persistence.Enabled) {
		c.VolumeMounts = []kube.VolumeMount{{Name: MySQLDataVolume, MountPath: n.dbDataPath}}
	}
	return c
}

func (n *names) mysqlDeployment() *kube.Deployment {
	s := n.p.Spec
	pod := kube.PodSpec{
		Containers:      []kube.Container{n.mysqlContainer()},
		SecurityContext: n.podSecurity(*s.Security.MySQLUser),
	}
	if profile.On(s.Database.Embedded.Persistence.Enabled) {
		pod.Volumes = []kube.Volume{claimVolume(MySQLDataVolume, s.Database.Embedded.Persistence.ClaimName)}
	}
	pod.Volumes = append(pod.Volumes, n.readOnlyRoot(&pod.Containers[0], images.Database)...)
	return &kube.Deployment{
		TypeMeta:   typeMeta("apps/v1", "Deployment"),
		ObjectMeta: n.meta(n.name+"-mysql", n.sqlLabels()),
		Spec: kube.DeploymentSpec{
			Replicas: ptr(int32(1)),
			Selector: &kube.LabelSelector{MatchLabels: n.sqlSelector},
			// A single writer on a ReadWriteOnce volume: the old pod
			// stops before the new one starts.
			Strategy: kube.DeploymentStrategy{Type: kube.RecreateDeploymentStrategyType},
			Template: kube.PodTemplateSpec{
				ObjectMeta: kube.ObjectMeta{Labels: n.sqlLabels()},
				Spec:       pod,
			},
		},
	}
}

func claimVolume(name, claim string) kube.Volume {
	return kube.Volume{Name: name, VolumeSource: kube.VolumeSource{
		PersistentVolumeClaim: &kube.PersistentVolumeClaimVolumeSource{ClaimName: claim},
	}}
}

func resources(r profile.ResourcesSpec) kube.ResourceRequirements {
	req := kube.ResourceList{
		kube.ResourceCPU:              resource.MustParse(r.CPU),
		kube.ResourceMemory:           resource.MustParse(r.Memory),
		kube.ResourceEphemeralStorage: resource.MustParse(r.EphemeralStorage),
	}
	lim := req.DeepCopy()
	if l := r.Limits; l != nil {
		for name, v := range map[kube.ResourceName]string{kube.ResourceCPU: l.CPU, kube.ResourceMemory: l.Memory, kube.ResourceEphemeralStorage: l.EphemeralStorage} {
			if v != "" {
				lim[name] = resource.MustParse(v)
			}
		}
	}
	return kube.ResourceRequirements{Requests: req, Limits: lim}
}

// probe is the profile's probe on the port the container really serves on:
// the profile's port (preset), or the user's container's when harden found
// it on another one.
func (n *names) probe(p profile.ProbeSpec, preset, actual int32) *kube.Probe {
	if actual != preset && p.TCPPort != nil && *p.TCPPort == preset {
		q := p
		q.TCPPort = &actual
		p = q
	}
	return probe(p, actual)
}

// inSelector is a label selector as In expressions, in key order.
func inSelector(m map[string]string) []kube.LabelSelectorRequirement {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []kube.LabelSelectorRequirement
	for _, k := range keys {
		out = append(out, kube.LabelSelectorRequirement{Key: k, Operator: kube.LabelSelectorOpIn, Values: []string{m[k]}})
	}
	return out
}

func probe(p profile.ProbeSpec, containerPort int32) *kube.Probe {
	if !profile.On(p.Enabled) {
		return nil
	}
	pr := &kube.Probe{
		InitialDelaySeconds: *p.InitialDelaySeconds,
		PeriodSeconds:       *p.PeriodSeconds,
		TimeoutSeconds:      *p.TimeoutSeconds,
		FailureThreshold:    *p.FailureThreshold,
	}
	if p.HTTPPath != "" {
		port := intstr.FromInt32(containerPort)
		if p.TCPPort != nil {
			port = intstr.FromInt32(*p.TCPPort)
		}
		pr.HTTPGet = &kube.HTTPGetAction{Path: p.HTTPPath, Port: port}
	} else {
		pr.TCPSocket = &kube.TCPSocketAction{Port: intstr.FromInt32(*p.TCPPort)}
	}
	return pr
}

func (n *names) podSecurity(uid int64) *kube.PodSecurityContext {
	switch n.p.Spec.Security.Mode {
	case profile.SecurityOff:
		return nil
	case profile.SecurityStrict:
		return &kube.PodSecurityContext{
			RunAsNonRoot:   ptr(true),
			RunAsUser:      ptr(uid),
			RunAsGroup:     ptr(uid),
			FSGroup:        ptr(uid),
			SeccompProfile: &kube.SeccompProfile{Type: kube.SeccompProfileTypeRuntimeDefault},
		}
	}
	return &kube.PodSecurityContext{SeccompProfile: &kube.SeccompProfile{Type: kube.SeccompProfileTypeRuntimeDefault}}
}

// containerSecurity drops every capability but those the official image's
// entrypoint needs (chown of the data directory, switching to its user,
// binding port 80); strict mode keeps none and runs as uid.
func (n *names) containerSecurity(uid int64, keep ...kube.Capability) *kube.SecurityContext {
	switch n.p.Spec.Security.Mode {
	case profile.SecurityOff:
		return nil
	case profile.SecurityStrict:
		return &kube.SecurityContext{
			AllowPrivilegeEscalation: ptr(false),
			Privileged:               ptr(false),
			RunAsNonRoot:             ptr(true),
			RunAsUser:                ptr(uid),
			Capabilities:             &kube.Capabilities{Drop: []kube.Capability{"ALL"}},
			SeccompProfile:           &kube.SeccompProfile{Type: kube.SeccompProfileTypeRuntimeDefault},
		}
	}
	return &kube.SecurityContext{
		AllowPrivilegeEscalation: ptr(false),
		Privileged:               ptr(false),
		Capabilities:             &kube.Capabilities{Drop: []kube.Capability{"ALL"}, Add: keep},
		SeccompProfile:           &kube.SeccompProfile{Type: kube.SeccompProfileTypeRuntimeDefault},
	}
}

func (n *names) wordpressService() *kube.Service {
	s := n.p.Spec
	svc := &kube.Service{
		TypeMeta:   typeMeta("v1", "Service"),
		ObjectMeta: n.meta(n.name, n.wpLabels()),
		Spec: kube.ServiceSpec{
			Type:     kube.ServiceTypeClusterIP,
			Selector: n.wpSelector,
			Ports: []kube.ServicePort{{
				Name: "http", Port: 80, Protocol: kube.ProtocolTCP,
				TargetPort: intstr.FromInt32(n.wpPort),
			}},
		},
	}
	if s.Exposure.Mode == profile.ExposureNodePort {
		svc.Spec.Type = kube.ServiceTypeNodePort
		if s.Exposure.NodePort != nil {
			svc.Spec.Ports[0].NodePort = *s.Exposure.NodePort
		}
	}
	return svc
}

func (n *names) mysqlService() *kube.Service {
	return &kube.Service{
		TypeMeta:   typeMeta("v1", "Service"),
		ObjectMeta: n.meta(n.name+"-mysql", n.sqlLabels()),
		Spec: kube.ServiceSpec{
			Type:     kube.ServiceTypeClusterIP,
			Selector: n.sqlSelector,
			Ports:    []kube.ServicePort{{Name: "mysql", Port: 3306, Protocol: kube.ProtocolTCP, TargetPort: intstr.FromInt32(n.dbPort)}},
		},
	}
}

func (n *names) pvc(p profile.PersistenceSpec, labels map[string]string) *kube.PersistentVolumeClaim {
	pvc := &kube.PersistentVolumeClaim{
		TypeMeta:   typeMeta("v1", "PersistentVolumeClaim"),
		ObjectMeta: n.meta(p.ClaimName, labels),
		Spec: kube.PersistentVolumeClaimSpec{
			AccessModes: []kube.PersistentVolumeAccessMode{kube.PersistentVolumeAccessMode(p.AccessMode)},
			Resources: kube.VolumeResourceRequirements{Requests: kube.ResourceList{
				kube.ResourceStorage: resource.MustParse(p.Size),
			}},
		},
	}
	if p.StorageClass != nil {
		// "" is kept: no class, a PersistentVolume made by hand.
		pvc.Spec.StorageClassName = ptr(*p.StorageClass)
	}
	return pvc
}

func (n *names) pdb() *kube.PodDisruptionBudget {
	w := n.p.Spec.WordPress
	return &kube.PodDisruptionBudget{
		TypeMeta:   typeMeta("policy/v1", "PodDisruptionBudget"),
		ObjectMeta: n.meta(n.name+"-pdb", n.wpLabels()),
		Spec: kube.PodDisruptionBudgetSpec{
			MaxUnavailable: w.PDB.MaxUnavailable,
			MinAvailable:   w.PDB.MinAvailable,
			Selector:       &kube.LabelSelector{MatchLabels: n.wpSelector},
		},
	}
}

func (n *names) hpa() *kube.HorizontalPodAutoscaler {
	h := n.p.Spec.WordPress.HPA
	return &kube.HorizontalPodAutoscaler{
		TypeMeta:   typeMeta("autoscaling/v2", "HorizontalPodAutoscaler"),
		ObjectMeta: n.meta(n.name, n.wpLabels()),
		Spec: kube.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: kube.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: n.wpKind, Name: n.wpName},
			MinReplicas:    h.MinReplicas,
			MaxReplicas:    *h.MaxReplicas,
			Metrics: []kube.MetricSpec{{
				Type: kube.ResourceMetricSourceType,
				Resource: &kube.ResourceMetricSource{
					Name:   kube.ResourceCPU,
					Target: kube.MetricTarget{Type: kube.UtilizationMetricType, AverageUtilization: h.TargetCPUUtilization},
				},
			}},
		},
	}
}

func (n *names) ingress() *kube.Ingress {
	x := n.p.Spec.Exposure
	ann := map[string]string{}
	for k, v := range x.Ingress.Annotations {
		ann[k] = v
	}
	tlsSecret := x.Ingress.TLSSecretName
	if x.Ingress.ClusterIssuer != "" {
		ann["cert-manager.io/cluster-issuer"] = x.Ingress.ClusterIssuer
		if tlsSecret == "" {
			tlsSecret = n.name + "-tls"
		}
	}
	ing := &kube.Ingress{
		TypeMeta:   typeMeta("networking.k8s.io/v1", "Ingress"),
		ObjectMeta: n.meta(n.name, n.wpLabels()),
		Spec: kube.IngressSpec{
			Rules: []kube.IngressRule{{
				Host: x.Host,
				IngressRuleValue: kube.IngressRuleValue{HTTP: &kube.HTTPIngressRuleValue{
					Paths: []kube.HTTPIngressPath{{
						Path: "/", PathType: ptr(kube.PathTypePrefix),
						Backend: kube.IngressBackend{Service: &kube.IngressServiceBackend{
							Name: n.wpService, Port: kube.ServiceBackendPort{Number: n.wpServicePort},
						}},
					}},
				}},
			}},
		},
	}
	if len(ann) > 0 {
		ing.Annotations = ann
	}
	if x.Ingress.ClassName != "" {
		ing.Spec.IngressClassName = ptr(x.Ingress.ClassName)
	}
	if tlsSecret != "" {
		ing.Spec.TLS = []kube.IngressTLS{{Hosts: []string{x.Host}, SecretName: tlsSecret}}
	}
	return ing
}

func (n *names) wordpressPolicy() *kube.NetworkPolicy {
	s := n.p.Spec
	rule := kube.NetworkPolicyIngressRule{
		Ports: []kube.NetworkPolicyPort{{Protocol: ptr(kube.ProtocolTCP), Port: ptr(intstr.FromInt32(n.wpPort))}},
	}
	if s.Exposure.Mode == profile.ExposureTraefik || s.Exposure.Mode == profile.ExposureIngress {
		rule.From = []kube.NetworkPolicyPeer{{NamespaceSelector: &kube.LabelSelector{
			MatchLabels: map[string]string{"kubernetes.io/metadata.name": s.NetworkPolicy.IngressControllerNamespace},
		}}}
	}
	np := &kube.NetworkPolicy{
		TypeMeta:   typeMeta("networking.k8s.io/v1", "NetworkPolicy"),
		ObjectMeta: n.meta(n.name, n.wpLabels()),
		Spec: kube.NetworkPolicySpec{
			PodSelector: kube.LabelSelector{MatchLabels: n.wpSelector},
			PolicyTypes: []kube.PolicyType{kube.PolicyTypeIngress},
			Ingress:     []kube.NetworkPolicyIngressRule{rule},
		},
	}
	if !profile.On(s.NetworkPolicy.Egress.Enabled) || n.dbUnknown {
		return np
	}
	egress := []kube.NetworkPolicyEgressRule{dnsRule()}
	switch {
	case n.dbPods:
		egress = append(egress, kube.NetworkPolicyEgressRule{
			To:    []kube.NetworkPolicyPeer{{PodSelector: &kube.LabelSelector{MatchLabels: n.sqlSelector}}},
			Ports: []kube.NetworkPolicyPort{{Protocol: ptr(kube.ProtocolTCP), Port: ptr(intstr.FromInt32(n.dbPort))}},
		})
	case n.dbAddr != "":
		// A database outside the cluster: its address is known only when
		// the host is an IP. A DNS name may resolve to any address (and
		// change), so its port is open to every address.
		rule := kube.NetworkPolicyEgressRule{
			Ports: []kube.NetworkPolicyPort{{Protocol: ptr(kube.ProtocolTCP), Port: ptr(intstr.FromInt32(n.dbHostPort))}},
		}
		if ip := net.ParseIP(strings.Trim(n.dbAddr, "[]")); ip != nil {
			cidr := ip.String() + "/32"
			if ip.To4() == nil {
				cidr = ip.String() + "/128"
			}
			rule.To = []kube.NetworkPolicyPeer{{IPBlock: &kube.IPBlock{CIDR: cidr}}}
		}
		egress = append(egress, rule)
	}
	if profile.On(s.NetworkPolicy.Egress.Internet) {
		egress = append(egress, kube.NetworkPolicyEgressRule{
			Ports: []kube.NetworkPolicyPort{{Protocol: ptr(kube.ProtocolTCP), Port: ptr(intstr.FromInt32(443))}},
		})
	}
	np.Spec.PolicyTypes = append(np.Spec.PolicyTypes, kube.PolicyTypeEgress)
	np.Spec.Egress = egress
	return np
}

// dnsRule lets pods query the cluster's DNS: the pods labelled
// k8s-app=kube-dns in kube-system (CoreDNS keeps that label in kubeadm,
// GKE, EKS, AKS and k3s), on UDP and TCP 53.
func dnsRule() kube.NetworkPolicyEgressRule {
	return kube.NetworkPolicyEgressRule{
		To: []kube.NetworkPolicyPeer{{
			NamespaceSelector: &kube.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "kube-system"}},
			PodSelector:       &kube.LabelSelector{MatchLabels: map[string]string{"k8s-app": "kube-dns"}},
		}},
		Ports: []kube.NetworkPolicyPort{
			{Protocol: ptr(kube.ProtocolUDP), Port: ptr(intstr.FromInt32(53))},
			{Protocol: ptr(kube.ProtocolTCP), Port: ptr(intstr.FromInt32(53))},
		},
	}
}

func (n *names) mysqlPolicy() *kube.NetworkPolicy {
	np := &kube.NetworkPolicy{
		TypeMeta:   typeMeta("networking.k8s.io/v1", "NetworkPolicy"),
		ObjectMeta: n.meta(n.name+"-mysql", n.sqlLabels()),
		Spec: kube.NetworkPolicySpec{
			PodSelector: kube.LabelSelector{MatchLabels: n.sqlSelector},
			PolicyTypes: []kube.PolicyType{kube.PolicyTypeIngress},
			Ingress: []kube.NetworkPolicyIngressRule{{
				From:  []kube.NetworkPolicyPeer{{PodSelector: &kube.LabelSelector{MatchLabels: n.wpSelector}}},
				Ports: []kube.NetworkPolicyPort{{Protocol: ptr(kube.ProtocolTCP), Port: ptr(intstr.FromInt32(n.dbPort))}},
			}},
		},
	}
	if profile.On(n.p.Spec.NetworkPolicy.Egress.Enabled) {
		// MySQL answers; it opens no connection but DNS lookups.
		np.Spec.PolicyTypes = append(np.Spec.PolicyTypes, kube.PolicyTypeEgress)
		np.Spec.Egress = []kube.NetworkPolicyEgressRule{dnsRule()}
	}
	return np
}

func (n *names) storageClass() *kube.StorageClass {
	cf := n.p.Spec.Storage.CephFilesystem
	ns := cf.Namespace
	return &kube.StorageClass{
		TypeMeta:    typeMeta("storage.k8s.io/v1", "StorageClass"),
		ObjectMeta:  kube.ObjectMeta{Name: cf.StorageClassName, Labels: n.common},
		Provisioner: ns + ".cephfs.csi.ceph.com",
		Parameters: map[string]string{
			"clusterID": ns,
			"fsName":    cf.Name,
			"pool":      cf.Name + "-data0",
			"csi.storage.k8s.io/provisioner-secret-name":            "rook-csi-cephfs-provisioner",
			"csi.storage.k8s.io/provisioner-secret-namespace":       ns,
			"csi.storage.k8s.io/controller-expand-secret-name":      "rook-csi-cephfs-provisioner",
			"csi.storage.k8s.io/controller-expand-secret-namespace": ns,
			"csi.storage.k8s.io/node-stage-secret-name":             "rook-csi-cephfs-node",
			"csi.storage.k8s.io/node-stage-secret-namespace":        ns,
		},
		ReclaimPolicy:        ptr(kube.PersistentVolumeReclaimPolicy(cf.ReclaimPolicy)),
		AllowVolumeExpansion: ptr(true),
	}
}

// Custom resources are built as plain maps: their Go types live in large
// modules (Traefik, Rook, external-secrets) that are not worth the weight.
type obj = map[string]any

func (n *names) crMeta(name, namespace string, labels map[string]string) obj {
	l := obj{}
	for k, v := range labels {
		l[k] = v
	}
	return obj{"name": name, "namespace": namespace, "labels": l}
}

func (n *names) cephFilesystem() obj {
	cf := n.p.Spec.Storage.CephFilesystem
	size := int(*cf.Replicas)
	return obj{
		"apiVersion": "ceph.rook.io/v1",
		"kind":       "CephFilesystem",
		"metadata":   n.crMeta(cf.Name, cf.Namespace, n.common),
		"spec": obj{
			"metadataPool":   obj{"replicated": obj{"size": size}},
			"dataPools":      []any{obj{"replicated": obj{"size": size}}},
			"metadataServer": obj{"activeCount": 1, "activeStandby": true},
		},
	}
}

func (n *names) externalSecret() obj {
	c := n.p.Spec.Credentials
	es := c.ExternalSecret
	data := []any{obj{"secretKey": c.PasswordKey, "remoteRef": obj{"key": es.RemoteKey, "property": es.PasswordProperty}}}
	if n.p.Spec.Database.Mode == profile.DatabaseEmbedded && c.RootPasswordKey != c.PasswordKey {
		data = append(data, obj{"secretKey": c.RootPasswordKey, "remoteRef": obj{"key": es.RemoteKey, "property": es.RootPasswordProperty}})
	}
	return obj{
		"apiVersion": "external-secrets.io/v1",
		"kind":       "ExternalSecret",
		"metadata":   n.crMeta(c.SecretName, n.ns, n.common),
		"spec": obj{
			"refreshInterval": es.RefreshInterval,
			"secretStoreRef":  obj{"name": es.StoreName, "kind": es.StoreKind},
			"target":          obj{"name": c.SecretName, "creationPolicy": "Owner"},
			"data":            data,
		},
	}
}

func (n *names) route(middlewares []any) obj {
	r := obj{
		"match":    "Host(`" + n.p.Spec.Exposure.Host + "`)",
		"kind":     "Rule",
		"services": []any{obj{"name": n.wpService, "port": int(n.wpServicePort)}},
	}
	if middlewares != nil {
		r["middlewares"] = middlewares
	}
	return r
}

func (n *names) ingressRouteHTTPS() obj {
	t := n.p.Spec.Exposure.Traefik
	tls := obj{}
	if t.CertResolver != "" {
		tls["certResolver"] = t.CertResolver
	}
	if t.TLSSecretName != "" {
		tls["secretName"] = t.TLSSecretName
	}
	if len(t.Domains) > 0 {
		ds := []any{}
		for _, d := range t.Domains {
			o := obj{"main": d.Main}
			if len(d.SANs) > 0 {
				sans := []any{}
				for _, s := range d.SANs {
					sans = append(sans, s)
				}
				o["sans"] = sans
			}
			ds = append(ds, o)
		}
		tls["domains"] = ds
	}
	return obj{
		"apiVersion": "traefik.io/v1alpha1",
		"kind":       "IngressRoute",
		"metadata":   n.crMeta(n.name+"-https", n.ns, n.wpLabels()),
		"spec": obj{
			"entryPoints": []any{t.WebSecureEntryPoint},
			"routes":      []any{n.route(nil)},
			"tls":         tls,
		},
	}
}

func (n *names) redirectName() string { return n.name + "-redirect-https" }

func (n *names) redirectMiddleware() obj {
	return obj{
		"apiVersion": "traefik.io/v1alpha1",
		"kind":       "Middleware",
		"metadata":   n.crMeta(n.redirectName(), n.ns, n.wpLabels()),
		"spec":       obj{"redirectScheme": obj{"scheme": "https", "permanent": true}},
	}
}

func (n *names) ingressRouteHTTP() obj {
	t := n.p.Spec.Exposure.Traefik
	return obj{
		"apiVersion": "traefik.io/v1alpha1",
		"kind":       "IngressRoute",
		"metadata":   n.crMeta(n.name+"-http", n.ns, n.wpLabels()),
		"spec": obj{
			"entryPoints": []any{t.WebEntryPoint},
			"routes":      []any{n.route([]any{obj{"name": n.redirectName()}})},
		},
	}
}
