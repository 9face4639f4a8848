package expand

import (
	"net"
	"sort"
	"strconv"
	"strings"

	"github.com/kube-samples/wordpress-fn/fn/images"
	"github.com/kube-samples/wordpress-fn/fn/profile"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func ptr[T any](v T) *T { return &v }

func (n *names) meta(name string, labels map[string]string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: n.ns, Labels: labels}
}

func typeMeta(apiVersion, kind string) metav1.TypeMeta {
	return metav1.TypeMeta{APIVersion: apiVersion, Kind: kind}
}

func (n *names) namespace() *corev1.Namespace {
	level := "baseline"
	if n.p.Spec.Security.Mode == profile.SecurityStrict {
		level = "restricted"
	}
	labels := merge(n.common, map[string]string{"pod-security.kubernetes.io/enforce": level})
	delete(labels, "app")
	return &corev1.Namespace{
		TypeMeta:   typeMeta("v1", "Namespace"),
		ObjectMeta: metav1.ObjectMeta{Name: n.ns, Labels: labels},
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

func (n *names) wordpressDeployment() *appsv1.Deployment {
	s := n.p.Spec
	w := s.WordPress
	pod := corev1.PodSpec{
		TerminationGracePeriodSeconds: w.TerminationGracePeriodSeconds,
		Containers:                    []corev1.Container{n.wordpressContainer()},
		SecurityContext:               n.podSecurity(*s.Security.WordPressUser),
	}
	if s.Topology == profile.NoHA {
		pod.Containers = append(pod.Containers, n.mysqlContainer())
		if profile.On(s.Database.Embedded.Persistence.Enabled) {
			pod.Volumes = append(pod.Volumes, claimVolume(MySQLDataVolume, s.Database.Embedded.Persistence.ClaimName))
		}
	}
	if profile.On(w.Persistence.Enabled) {
		pod.Volumes = append([]corev1.Volume{claimVolume(WordPressDataVolume, w.Persistence.ClaimName)}, pod.Volumes...)
	}
	pod.Volumes = append(pod.Volumes, n.readOnlyRoot(&pod.Containers[0], images.WordPress)...)
	if len(pod.Containers) > 1 {
		pod.Volumes = append(pod.Volumes, n.readOnlyRoot(&pod.Containers[1], images.Database)...)
	}
	pod.Affinity = n.affinity()
	if profile.On(w.AntiAffinity.ZoneSpread) {
		pod.TopologySpreadConstraints = []corev1.TopologySpreadConstraint{{
			MaxSkew:           1,
			TopologyKey:       profile.ZoneTopologyKey,
			WhenUnsatisfiable: corev1.ScheduleAnyway,
			LabelSelector:     &metav1.LabelSelector{MatchLabels: n.wpSelector},
		}}
	}
	d := &appsv1.Deployment{
		TypeMeta:   typeMeta("apps/v1", "Deployment"),
		ObjectMeta: n.meta(n.name, n.wpLabels()),
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: n.wpSelector},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: n.wpLabels()},
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
func (n *names) wordpressStrategy() appsv1.DeploymentStrategy {
	s := n.p.Spec
	if s.Topology == profile.NoHA && s.Database.Mode == profile.DatabaseEmbedded {
		return appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
	}
	if !profile.On(s.WordPress.RollingUpdate.Enabled) {
		return appsv1.DeploymentStrategy{}
	}
	return appsv1.DeploymentStrategy{
		Type: appsv1.RollingUpdateDeploymentStrategyType,
		RollingUpdate: &appsv1.RollingUpdateDeployment{
			MaxSurge:       s.WordPress.RollingUpdate.MaxSurge,
			MaxUnavailable: s.WordPress.RollingUpdate.MaxUnavailable,
		},
	}
}

func (n *names) affinity() *corev1.Affinity {
	w := n.p.Spec.WordPress
	if w.AntiAffinity.Mode == profile.AntiAffinityNone {
		return nil
	}
	term := corev1.PodAffinityTerm{
		TopologyKey:   w.AntiAffinity.TopologyKey,
		LabelSelector: &metav1.LabelSelector{MatchExpressions: inSelector(n.wpSelector)},
	}
	anti := &corev1.PodAntiAffinity{}
	if w.AntiAffinity.Mode == profile.AntiAffinityHard {
		anti.RequiredDuringSchedulingIgnoredDuringExecution = []corev1.PodAffinityTerm{term}
	} else {
		anti.PreferredDuringSchedulingIgnoredDuringExecution = []corev1.WeightedPodAffinityTerm{{Weight: 1, PodAffinityTerm: term}}
	}
	return &corev1.Affinity{PodAntiAffinity: anti}
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

func secretEnv(name, secret, key string) corev1.EnvVar {
	return corev1.EnvVar{Name: name, ValueFrom: &corev1.EnvVarSource{
		SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: secret}, Key: key},
	}}
}

func (n *names) wordpressContainer() corev1.Container {
	s := n.p.Spec
	w := s.WordPress
	c := corev1.Container{
		Name:            WordPressContainerName,
		Image:           w.Image,
		ImagePullPolicy: corev1.PullIfNotPresent,
		Ports:           []corev1.ContainerPort{{Name: "http", ContainerPort: n.wpPort, Protocol: corev1.ProtocolTCP}},
		Env: []corev1.EnvVar{
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
		c.Lifecycle = &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: w.PreStop.Command}}}
	}
	if profile.On(w.Persistence.Enabled) {
		c.VolumeMounts = []corev1.VolumeMount{{Name: WordPressDataVolume, MountPath: n.wpDataPath}}
	}
	return c
}

func (n *names) mysqlContainer() corev1.Container {
	s := n.p.Spec
	e := s.Database.Embedded
	cred := s.Credentials
	c := corev1.Container{
		Name:            MySQLContainerName,
		Image:           e.Image,
		ImagePullPolicy: corev1.PullIfNotPresent,
		Args:            e.Args,
		Ports:           []corev1.ContainerPort{{Name: "mysql", ContainerPort: n.dbPort, Protocol: corev1.ProtocolTCP}},
		Env: []corev1.EnvVar{
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
		c.VolumeMounts = []corev1.VolumeMount{{Name: MySQLDataVolume, MountPath: n.dbDataPath}}
	}
	return c
}

func (n *names) mysqlDeployment() *appsv1.Deployment {
	s := n.p.Spec
	pod := corev1.PodSpec{
		Containers:      []corev1.Container{n.mysqlContainer()},
		SecurityContext: n.podSecurity(*s.Security.MySQLUser),
	}
	if profile.On(s.Database.Embedded.Persistence.Enabled) {
		pod.Volumes = []corev1.Volume{claimVolume(MySQLDataVolume, s.Database.Embedded.Persistence.ClaimName)}
	}
	pod.Volumes = append(pod.Volumes, n.readOnlyRoot(&pod.Containers[0], images.Database)...)
	return &appsv1.Deployment{
		TypeMeta:   typeMeta("apps/v1", "Deployment"),
		ObjectMeta: n.meta(n.name+"-mysql", n.sqlLabels()),
		Spec: appsv1.DeploymentSpec{
			Replicas: ptr(int32(1)),
			Selector: &metav1.LabelSelector{MatchLabels: n.sqlSelector},
			// A single writer on a ReadWriteOnce volume: the old pod
			// stops before the new one starts.
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: n.sqlLabels()},
				Spec:       pod,
			},
		},
	}
}

func claimVolume(name, claim string) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{
		PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claim},
	}}
}

func resources(r profile.ResourcesSpec) corev1.ResourceRequirements {
	req := corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse(r.CPU),
		corev1.ResourceMemory:           resource.MustParse(r.Memory),
		corev1.ResourceEphemeralStorage: resource.MustParse(r.EphemeralStorage),
	}
	lim := req.DeepCopy()
	if l := r.Limits; l != nil {
		for name, v := range map[corev1.ResourceName]string{corev1.ResourceCPU: l.CPU, corev1.ResourceMemory: l.Memory, corev1.ResourceEphemeralStorage: l.EphemeralStorage} {
			if v != "" {
				lim[name] = resource.MustParse(v)
			}
		}
	}
	return corev1.ResourceRequirements{Requests: req, Limits: lim}
}

// probe is the profile's probe on the port the container really serves on:
// the profile's port (preset), or the user's container's when harden found
// it on another one.
func (n *names) probe(p profile.ProbeSpec, preset, actual int32) *corev1.Probe {
	if actual != preset && p.TCPPort != nil && *p.TCPPort == preset {
		q := p
		q.TCPPort = &actual
		p = q
	}
	return probe(p, actual)
}

// inSelector is a label selector as In expressions, in key order.
func inSelector(m map[string]string) []metav1.LabelSelectorRequirement {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []metav1.LabelSelectorRequirement
	for _, k := range keys {
		out = append(out, metav1.LabelSelectorRequirement{Key: k, Operator: metav1.LabelSelectorOpIn, Values: []string{m[k]}})
	}
	return out
}

func probe(p profile.ProbeSpec, containerPort int32) *corev1.Probe {
	if !profile.On(p.Enabled) {
		return nil
	}
	pr := &corev1.Probe{
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
		pr.HTTPGet = &corev1.HTTPGetAction{Path: p.HTTPPath, Port: port}
	} else {
		pr.TCPSocket = &corev1.TCPSocketAction{Port: intstr.FromInt32(*p.TCPPort)}
	}
	return pr
}

func (n *names) podSecurity(uid int64) *corev1.PodSecurityContext {
	switch n.p.Spec.Security.Mode {
	case profile.SecurityOff:
		return nil
	case profile.SecurityStrict:
		return &corev1.PodSecurityContext{
			RunAsNonRoot:   ptr(true),
			RunAsUser:      ptr(uid),
			RunAsGroup:     ptr(uid),
			FSGroup:        ptr(uid),
			SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		}
	}
	return &corev1.PodSecurityContext{SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}}
}

// containerSecurity drops every capability but those the official image's
// entrypoint needs (chown of the data directory, switching to its user,
// binding port 80); strict mode keeps none and runs as uid.
func (n *names) containerSecurity(uid int64, keep ...corev1.Capability) *corev1.SecurityContext {
	switch n.p.Spec.Security.Mode {
	case profile.SecurityOff:
		return nil
	case profile.SecurityStrict:
		return &corev1.SecurityContext{
			AllowPrivilegeEscalation: ptr(false),
			Privileged:               ptr(false),
			RunAsNonRoot:             ptr(true),
			RunAsUser:                ptr(uid),
			Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
			SeccompProfile:           &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		}
	}
	return &corev1.SecurityContext{
		AllowPrivilegeEscalation: ptr(false),
		Privileged:               ptr(false),
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}, Add: keep},
		SeccompProfile:           &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
	}
}

func (n *names) wordpressService() *corev1.Service {
	s := n.p.Spec
	svc := &corev1.Service{
		TypeMeta:   typeMeta("v1", "Service"),
		ObjectMeta: n.meta(n.name, n.wpLabels()),
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeClusterIP,
			Selector: n.wpSelector,
			Ports: []corev1.ServicePort{{
				Name: "http", Port: 80, Protocol: corev1.ProtocolTCP,
				TargetPort: intstr.FromInt32(n.wpPort),
			}},
		},
	}
	if s.Exposure.Mode == profile.ExposureNodePort {
		svc.Spec.Type = corev1.ServiceTypeNodePort
		if s.Exposure.NodePort != nil {
			svc.Spec.Ports[0].NodePort = *s.Exposure.NodePort
		}
	}
	return svc
}

func (n *names) mysqlService() *corev1.Service {
	return &corev1.Service{
		TypeMeta:   typeMeta("v1", "Service"),
		ObjectMeta: n.meta(n.name+"-mysql", n.sqlLabels()),
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeClusterIP,
			Selector: n.sqlSelector,
			Ports:    []corev1.ServicePort{{Name: "mysql", Port: 3306, Protocol: corev1.ProtocolTCP, TargetPort: intstr.FromInt32(n.dbPort)}},
		},
	}
}

func (n *names) pvc(p profile.PersistenceSpec, labels map[string]string) *corev1.PersistentVolumeClaim {
	pvc := &corev1.PersistentVolumeClaim{
		TypeMeta:   typeMeta("v1", "PersistentVolumeClaim"),
		ObjectMeta: n.meta(p.ClaimName, labels),
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.PersistentVolumeAccessMode(p.AccessMode)},
			Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{
				corev1.ResourceStorage: resource.MustParse(p.Size),
			}},
		},
	}
	if p.StorageClass != nil {
		// "" is kept: no class, a PersistentVolume made by hand.
		pvc.Spec.StorageClassName = ptr(*p.StorageClass)
	}
	return pvc
}

func (n *names) pdb() *policyv1.PodDisruptionBudget {
	w := n.p.Spec.WordPress
	return &policyv1.PodDisruptionBudget{
		TypeMeta:   typeMeta("policy/v1", "PodDisruptionBudget"),
		ObjectMeta: n.meta(n.name+"-pdb", n.wpLabels()),
		Spec: policyv1.PodDisruptionBudgetSpec{
			MaxUnavailable: w.PDB.MaxUnavailable,
			MinAvailable:   w.PDB.MinAvailable,
			Selector:       &metav1.LabelSelector{MatchLabels: n.wpSelector},
		},
	}
}

func (n *names) hpa() *autoscalingv2.HorizontalPodAutoscaler {
	h := n.p.Spec.WordPress.HPA
	return &autoscalingv2.HorizontalPodAutoscaler{
		TypeMeta:   typeMeta("autoscaling/v2", "HorizontalPodAutoscaler"),
		ObjectMeta: n.meta(n.name, n.wpLabels()),
		Spec: autoscalingv2.HorizontalPodAutoscalerSpec{
			ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{APIVersion: "apps/v1", Kind: n.wpKind, Name: n.wpName},
			MinReplicas:    h.MinReplicas,
			MaxReplicas:    *h.MaxReplicas,
			Metrics: []autoscalingv2.MetricSpec{{
				Type: autoscalingv2.ResourceMetricSourceType,
				Resource: &autoscalingv2.ResourceMetricSource{
					Name:   corev1.ResourceCPU,
					Target: autoscalingv2.MetricTarget{Type: autoscalingv2.UtilizationMetricType, AverageUtilization: h.TargetCPUUtilization},
				},
			}},
		},
	}
}

func (n *names) ingress() *networkingv1.Ingress {
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
	ing := &networkingv1.Ingress{
		TypeMeta:   typeMeta("networking.k8s.io/v1", "Ingress"),
		ObjectMeta: n.meta(n.name, n.wpLabels()),
		Spec: networkingv1.IngressSpec{
			Rules: []networkingv1.IngressRule{{
				Host: x.Host,
				IngressRuleValue: networkingv1.IngressRuleValue{HTTP: &networkingv1.HTTPIngressRuleValue{
					Paths: []networkingv1.HTTPIngressPath{{
						Path: "/", PathType: ptr(networkingv1.PathTypePrefix),
						Backend: networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{
							Name: n.wpService, Port: networkingv1.ServiceBackendPort{Number: n.wpServicePort},
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
		ing.Spec.TLS = []networkingv1.IngressTLS{{Hosts: []string{x.Host}, SecretName: tlsSecret}}
	}
	return ing
}

func (n *names) wordpressPolicy() *networkingv1.NetworkPolicy {
	s := n.p.Spec
	rule := networkingv1.NetworkPolicyIngressRule{
		Ports: []networkingv1.NetworkPolicyPort{{Protocol: ptr(corev1.ProtocolTCP), Port: ptr(intstr.FromInt32(n.wpPort))}},
	}
	if s.Exposure.Mode == profile.ExposureTraefik || s.Exposure.Mode == profile.ExposureIngress {
		rule.From = []networkingv1.NetworkPolicyPeer{{NamespaceSelector: &metav1.LabelSelector{
			MatchLabels: map[string]string{"kubernetes.io/metadata.name": s.NetworkPolicy.IngressControllerNamespace},
		}}}
	}
	np := &networkingv1.NetworkPolicy{
		TypeMeta:   typeMeta("networking.k8s.io/v1", "NetworkPolicy"),
		ObjectMeta: n.meta(n.name, n.wpLabels()),
		Spec: networkingv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{MatchLabels: n.wpSelector},
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
			Ingress:     []networkingv1.NetworkPolicyIngressRule{rule},
		},
	}
	if !profile.On(s.NetworkPolicy.Egress.Enabled) || n.dbUnknown {
		return np
	}
	egress := []networkingv1.NetworkPolicyEgressRule{dnsRule()}
	switch {
	case n.dbPods:
		egress = append(egress, networkingv1.NetworkPolicyEgressRule{
			To:    []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{MatchLabels: n.sqlSelector}}},
			Ports: []networkingv1.NetworkPolicyPort{{Protocol: ptr(corev1.ProtocolTCP), Port: ptr(intstr.FromInt32(n.dbPort))}},
		})
	case n.dbAddr != "":
		// A database outside the cluster: its address is known only when
		// the host is an IP. A DNS name may resolve to any address (and
		// change), so its port is open to every address.
		rule := networkingv1.NetworkPolicyEgressRule{
			Ports: []networkingv1.NetworkPolicyPort{{Protocol: ptr(corev1.ProtocolTCP), Port: ptr(intstr.FromInt32(n.dbHostPort))}},
		}
		if ip := net.ParseIP(strings.Trim(n.dbAddr, "[]")); ip != nil {
			cidr := ip.String() + "/32"
			if ip.To4() == nil {
				cidr = ip.String() + "/128"
			}
			rule.To = []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: cidr}}}
		}
		egress = append(egress, rule)
	}
	if profile.On(s.NetworkPolicy.Egress.Internet) {
		egress = append(egress, networkingv1.NetworkPolicyEgressRule{
			Ports: []networkingv1.NetworkPolicyPort{{Protocol: ptr(corev1.ProtocolTCP), Port: ptr(intstr.FromInt32(443))}},
		})
	}
	np.Spec.PolicyTypes = append(np.Spec.PolicyTypes, networkingv1.PolicyTypeEgress)
	np.Spec.Egress = egress
	return np
}

// dnsRule lets pods query the cluster's DNS: the pods labelled
// k8s-app=kube-dns in kube-system (CoreDNS keeps that label in kubeadm,
// GKE, EKS, AKS and k3s), on UDP and TCP 53.
func dnsRule() networkingv1.NetworkPolicyEgressRule {
	return networkingv1.NetworkPolicyEgressRule{
		To: []networkingv1.NetworkPolicyPeer{{
			NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "kube-system"}},
			PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"k8s-app": "kube-dns"}},
		}},
		Ports: []networkingv1.NetworkPolicyPort{
			{Protocol: ptr(corev1.ProtocolUDP), Port: ptr(intstr.FromInt32(53))},
			{Protocol: ptr(corev1.ProtocolTCP), Port: ptr(intstr.FromInt32(53))},
		},
	}
}

func (n *names) mysqlPolicy() *networkingv1.NetworkPolicy {
	np := &networkingv1.NetworkPolicy{
		TypeMeta:   typeMeta("networking.k8s.io/v1", "NetworkPolicy"),
		ObjectMeta: n.meta(n.name+"-mysql", n.sqlLabels()),
		Spec: networkingv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{MatchLabels: n.sqlSelector},
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress},
			Ingress: []networkingv1.NetworkPolicyIngressRule{{
				From:  []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{MatchLabels: n.wpSelector}}},
				Ports: []networkingv1.NetworkPolicyPort{{Protocol: ptr(corev1.ProtocolTCP), Port: ptr(intstr.FromInt32(n.dbPort))}},
			}},
		},
	}
	if profile.On(n.p.Spec.NetworkPolicy.Egress.Enabled) {
		// MySQL answers; it opens no connection but DNS lookups.
		np.Spec.PolicyTypes = append(np.Spec.PolicyTypes, networkingv1.PolicyTypeEgress)
		np.Spec.Egress = []networkingv1.NetworkPolicyEgressRule{dnsRule()}
	}
	return np
}

func (n *names) storageClass() *storagev1.StorageClass {
	cf := n.p.Spec.Storage.CephFilesystem
	ns := cf.Namespace
	return &storagev1.StorageClass{
		TypeMeta:    typeMeta("storage.k8s.io/v1", "StorageClass"),
		ObjectMeta:  metav1.ObjectMeta{Name: cf.StorageClassName, Labels: n.common},
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
		ReclaimPolicy:        ptr(corev1.PersistentVolumeReclaimPolicy(cf.ReclaimPolicy)),
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
