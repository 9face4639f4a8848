// Package kube is the part of the Kubernetes API that wordpress-fn writes:
// the objects expand generates (and site reads: LabelSelector), as
// k8s.io/api and k8s.io/apimachinery's meta/v1 declare them, cut down to
// the fields this project sets plus every field upstream writes even when
// it is zero (no omitempty, or a struct). Go names, types and JSON tags are
// upstream's, so encoding/json writes the same object from the same values.
//
// Why not k8s.io/api itself: its packages (generated protobuf, deep copy
// and the types of the whole API) were ~2.5 MB of the function's binary,
// with meta/v1's users of net/http and json-iterator, and the reflection
// encoding/json does once per type grows with every field of PodSpec and
// Container. resource.Quantity and intstr.IntOrString stay upstream's
// (quantities print in their canonical form; they bring cbor along). A single site is a short process: what it maps
// and reflects over is most of its cost (bench/README.md, issue 10).
//
// kube_test.go holds it to upstream: every object expand emits for every
// golden case is strictly decoded (unknown fields refused) into the
// k8s.io/api type and written again, and must come out the same.
package kube

import (
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// The values of upstream's named strings that expand uses.
const (
	ProtocolTCP Protocol = "TCP"
	ProtocolUDP Protocol = "UDP"

	SeccompProfileTypeRuntimeDefault SeccompProfileType = "RuntimeDefault"
	PullIfNotPresent                 PullPolicy         = "IfNotPresent"

	ResourceCPU              ResourceName = "cpu"
	ResourceMemory           ResourceName = "memory"
	ResourceEphemeralStorage ResourceName = "ephemeral-storage"
	ResourceStorage          ResourceName = "storage"

	ServiceTypeClusterIP ServiceType = "ClusterIP"
	ServiceTypeNodePort  ServiceType = "NodePort"

	ScheduleAnyway UnsatisfiableConstraintAction = "ScheduleAnyway"

	ReadWriteOnce PersistentVolumeAccessMode = "ReadWriteOnce"
	ReadWriteMany PersistentVolumeAccessMode = "ReadWriteMany"

	PolicyTypeIngress PolicyType = "Ingress"
	PolicyTypeEgress  PolicyType = "Egress"

	PathTypePrefix PathType = "Prefix"

	LabelSelectorOpIn           LabelSelectorOperator = "In"
	LabelSelectorOpNotIn        LabelSelectorOperator = "NotIn"
	LabelSelectorOpExists       LabelSelectorOperator = "Exists"
	LabelSelectorOpDoesNotExist LabelSelectorOperator = "DoesNotExist"

	RollingUpdateDeploymentStrategyType DeploymentStrategyType = "RollingUpdate"
	RecreateDeploymentStrategyType      DeploymentStrategyType = "Recreate"

	UtilizationMetricType    MetricTargetType = "Utilization"
	ResourceMetricSourceType MetricSourceType = "Resource"
)

// ResourceList is core/v1's ResourceList.
type ResourceList map[ResourceName]resource.Quantity

// Namespace is core/v1's Namespace.
type Namespace struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata,omitempty"`
	Spec       NamespaceSpec `json:"spec,omitempty"`
}

// Service is core/v1's Service.
type Service struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata,omitempty"`
	Spec       ServiceSpec `json:"spec,omitempty"`
}

// ConfigMap is core/v1's ConfigMap.
type ConfigMap struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata,omitempty"`
	Data       map[string]string `json:"data,omitempty"`
}

// PersistentVolumeClaim is core/v1's PersistentVolumeClaim.
type PersistentVolumeClaim struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata,omitempty"`
	Spec       PersistentVolumeClaimSpec `json:"spec,omitempty"`
}

// Deployment is apps/v1's Deployment.
type Deployment struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata,omitempty"`
	Spec       DeploymentSpec `json:"spec,omitempty"`
}

// HorizontalPodAutoscaler is autoscaling/v2's HorizontalPodAutoscaler.
type HorizontalPodAutoscaler struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata,omitempty"`
	Spec       HorizontalPodAutoscalerSpec `json:"spec,omitempty"`
}

// NetworkPolicy is networking/v1's NetworkPolicy.
type NetworkPolicy struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata,omitempty"`
	Spec       NetworkPolicySpec `json:"spec,omitempty"`
}

// Ingress is networking/v1's Ingress.
type Ingress struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata,omitempty"`
	Spec       IngressSpec `json:"spec,omitempty"`
}

// PodDisruptionBudget is policy/v1's PodDisruptionBudget.
type PodDisruptionBudget struct {
	TypeMeta   `json:",inline"`
	ObjectMeta `json:"metadata,omitempty"`
	Spec       PodDisruptionBudgetSpec `json:"spec,omitempty"`
}

// StorageClass is storage/v1's StorageClass.
type StorageClass struct {
	TypeMeta             `json:",inline"`
	ObjectMeta           `json:"metadata,omitempty"`
	Provisioner          string                         `json:"provisioner"`
	Parameters           map[string]string              `json:"parameters,omitempty"`
	ReclaimPolicy        *PersistentVolumeReclaimPolicy `json:"reclaimPolicy,omitempty"`
	AllowVolumeExpansion *bool                          `json:"allowVolumeExpansion,omitempty"`
}

// LabelSelector is meta/v1's LabelSelector.
type LabelSelector struct {
	MatchLabels      map[string]string          `json:"matchLabels,omitempty"`
	MatchExpressions []LabelSelectorRequirement `json:"matchExpressions,omitempty"`
}

// TypeMeta is meta/v1's TypeMeta.
type TypeMeta struct {
	Kind       string `json:"kind,omitempty"`
	APIVersion string `json:"apiVersion,omitempty"`
}

// ObjectMeta is meta/v1's ObjectMeta.
type ObjectMeta struct {
	Name        string            `json:"name,omitempty"`
	Namespace   string            `json:"namespace,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// NamespaceSpec is core/v1's NamespaceSpec.
type NamespaceSpec struct {
}

// ServiceSpec is core/v1's ServiceSpec.
type ServiceSpec struct {
	Ports        []ServicePort     `json:"ports,omitempty"`
	Selector     map[string]string `json:"selector,omitempty"`
	Type         ServiceType       `json:"type,omitempty"`
	ExternalName string            `json:"externalName,omitempty"`
}

// PersistentVolumeClaimSpec is core/v1's PersistentVolumeClaimSpec.
type PersistentVolumeClaimSpec struct {
	AccessModes      []PersistentVolumeAccessMode `json:"accessModes,omitempty"`
	Selector         *LabelSelector               `json:"selector,omitempty"`
	Resources        VolumeResourceRequirements   `json:"resources,omitempty"`
	StorageClassName *string                      `json:"storageClassName,omitempty"`
}

// DeploymentSpec is apps/v1's DeploymentSpec.
type DeploymentSpec struct {
	Replicas *int32             `json:"replicas,omitempty"`
	Selector *LabelSelector     `json:"selector"`
	Template PodTemplateSpec    `json:"template"`
	Strategy DeploymentStrategy `json:"strategy,omitempty"`
}

// HorizontalPodAutoscalerSpec is autoscaling/v2's HorizontalPodAutoscalerSpec.
type HorizontalPodAutoscalerSpec struct {
	ScaleTargetRef CrossVersionObjectReference `json:"scaleTargetRef"`
	MinReplicas    *int32                      `json:"minReplicas,omitempty"`
	MaxReplicas    int32                       `json:"maxReplicas"`
	Metrics        []MetricSpec                `json:"metrics,omitempty"`
}

// NetworkPolicySpec is networking/v1's NetworkPolicySpec.
type NetworkPolicySpec struct {
	PodSelector LabelSelector              `json:"podSelector"`
	Ingress     []NetworkPolicyIngressRule `json:"ingress,omitempty"`
	Egress      []NetworkPolicyEgressRule  `json:"egress,omitempty"`
	PolicyTypes []PolicyType               `json:"policyTypes,omitempty"`
}

// IngressSpec is networking/v1's IngressSpec.
type IngressSpec struct {
	IngressClassName *string       `json:"ingressClassName,omitempty"`
	TLS              []IngressTLS  `json:"tls,omitempty"`
	Rules            []IngressRule `json:"rules,omitempty"`
}

// PodDisruptionBudgetSpec is policy/v1's PodDisruptionBudgetSpec.
type PodDisruptionBudgetSpec struct {
	MinAvailable   *intstr.IntOrString `json:"minAvailable,omitempty"`
	Selector       *LabelSelector      `json:"selector,omitempty"`
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`
}

// LabelSelectorRequirement is meta/v1's LabelSelectorRequirement.
type LabelSelectorRequirement struct {
	Key      string                `json:"key"`
	Operator LabelSelectorOperator `json:"operator"`
	Values   []string              `json:"values,omitempty"`
}

// ServicePort is core/v1's ServicePort.
type ServicePort struct {
	Name       string             `json:"name,omitempty"`
	Protocol   Protocol           `json:"protocol,omitempty"`
	Port       int32              `json:"port"`
	TargetPort intstr.IntOrString `json:"targetPort,omitempty"`
	NodePort   int32              `json:"nodePort,omitempty"`
}

// VolumeResourceRequirements is core/v1's VolumeResourceRequirements.
type VolumeResourceRequirements struct {
	Limits   ResourceList `json:"limits,omitempty"`
	Requests ResourceList `json:"requests,omitempty"`
}

// PodTemplateSpec is core/v1's PodTemplateSpec.
type PodTemplateSpec struct {
	ObjectMeta `json:"metadata,omitempty"`
	Spec       PodSpec `json:"spec,omitempty"`
}

// DeploymentStrategy is apps/v1's DeploymentStrategy.
type DeploymentStrategy struct {
	Type          DeploymentStrategyType   `json:"type,omitempty"`
	RollingUpdate *RollingUpdateDeployment `json:"rollingUpdate,omitempty"`
}

// CrossVersionObjectReference is autoscaling/v2's CrossVersionObjectReference.
type CrossVersionObjectReference struct {
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	APIVersion string `json:"apiVersion,omitempty"`
}

// MetricSpec is autoscaling/v2's MetricSpec.
type MetricSpec struct {
	Type     MetricSourceType      `json:"type"`
	Resource *ResourceMetricSource `json:"resource,omitempty"`
}

// NetworkPolicyIngressRule is networking/v1's NetworkPolicyIngressRule.
type NetworkPolicyIngressRule struct {
	Ports []NetworkPolicyPort `json:"ports,omitempty"`
	From  []NetworkPolicyPeer `json:"from,omitempty"`
}

// NetworkPolicyEgressRule is networking/v1's NetworkPolicyEgressRule.
type NetworkPolicyEgressRule struct {
	Ports []NetworkPolicyPort `json:"ports,omitempty"`
	To    []NetworkPolicyPeer `json:"to,omitempty"`
}

// IngressTLS is networking/v1's IngressTLS.
type IngressTLS struct {
	Hosts      []string `json:"hosts,omitempty"`
	SecretName string   `json:"secretName,omitempty"`
}

// IngressRule is networking/v1's IngressRule.
type IngressRule struct {
	Host             string `json:"host,omitempty"`
	IngressRuleValue `json:",inline"`
}

// PodSpec is core/v1's PodSpec.
type PodSpec struct {
	Volumes                       []Volume                   `json:"volumes,omitempty"`
	Containers                    []Container                `json:"containers"`
	TerminationGracePeriodSeconds *int64                     `json:"terminationGracePeriodSeconds,omitempty"`
	SecurityContext               *PodSecurityContext        `json:"securityContext,omitempty"`
	Affinity                      *Affinity                  `json:"affinity,omitempty"`
	TopologySpreadConstraints     []TopologySpreadConstraint `json:"topologySpreadConstraints,omitempty"`
}

// RollingUpdateDeployment is apps/v1's RollingUpdateDeployment.
type RollingUpdateDeployment struct {
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`
	MaxSurge       *intstr.IntOrString `json:"maxSurge,omitempty"`
}

// ResourceMetricSource is autoscaling/v2's ResourceMetricSource.
type ResourceMetricSource struct {
	Name   ResourceName `json:"name"`
	Target MetricTarget `json:"target"`
}

// NetworkPolicyPort is networking/v1's NetworkPolicyPort.
type NetworkPolicyPort struct {
	Protocol *Protocol           `json:"protocol,omitempty"`
	Port     *intstr.IntOrString `json:"port,omitempty"`
}

// NetworkPolicyPeer is networking/v1's NetworkPolicyPeer.
type NetworkPolicyPeer struct {
	PodSelector       *LabelSelector `json:"podSelector,omitempty"`
	NamespaceSelector *LabelSelector `json:"namespaceSelector,omitempty"`
	IPBlock           *IPBlock       `json:"ipBlock,omitempty"`
}

// IngressRuleValue is networking/v1's IngressRuleValue.
type IngressRuleValue struct {
	HTTP *HTTPIngressRuleValue `json:"http,omitempty"`
}

// Volume is core/v1's Volume.
type Volume struct {
	Name         string `json:"name"`
	VolumeSource `json:",inline"`
}

// Container is core/v1's Container.
type Container struct {
	Name            string               `json:"name"`
	Image           string               `json:"image,omitempty"`
	Command         []string             `json:"command,omitempty"`
	Args            []string             `json:"args,omitempty"`
	Ports           []ContainerPort      `json:"ports,omitempty"`
	Env             []EnvVar             `json:"env,omitempty"`
	Resources       ResourceRequirements `json:"resources,omitempty"`
	VolumeMounts    []VolumeMount        `json:"volumeMounts,omitempty"`
	LivenessProbe   *Probe               `json:"livenessProbe,omitempty"`
	ReadinessProbe  *Probe               `json:"readinessProbe,omitempty"`
	StartupProbe    *Probe               `json:"startupProbe,omitempty"`
	Lifecycle       *Lifecycle           `json:"lifecycle,omitempty"`
	ImagePullPolicy PullPolicy           `json:"imagePullPolicy,omitempty"`
	SecurityContext *SecurityContext     `json:"securityContext,omitempty"`
}

// PodSecurityContext is core/v1's PodSecurityContext.
type PodSecurityContext struct {
	RunAsUser      *int64          `json:"runAsUser,omitempty"`
	RunAsGroup     *int64          `json:"runAsGroup,omitempty"`
	RunAsNonRoot   *bool           `json:"runAsNonRoot,omitempty"`
	FSGroup        *int64          `json:"fsGroup,omitempty"`
	SeccompProfile *SeccompProfile `json:"seccompProfile,omitempty"`
}

// Affinity is core/v1's Affinity.
type Affinity struct {
	PodAntiAffinity *PodAntiAffinity `json:"podAntiAffinity,omitempty"`
}

// TopologySpreadConstraint is core/v1's TopologySpreadConstraint.
type TopologySpreadConstraint struct {
	MaxSkew           int32                         `json:"maxSkew"`
	TopologyKey       string                        `json:"topologyKey"`
	WhenUnsatisfiable UnsatisfiableConstraintAction `json:"whenUnsatisfiable"`
	LabelSelector     *LabelSelector                `json:"labelSelector,omitempty"`
}

// ResourceRequirements is core/v1's ResourceRequirements.
type ResourceRequirements struct {
	Limits   ResourceList `json:"limits,omitempty"`
	Requests ResourceList `json:"requests,omitempty"`
}

// MetricTarget is autoscaling/v2's MetricTarget.
type MetricTarget struct {
	Type               MetricTargetType   `json:"type"`
	Value              *resource.Quantity `json:"value,omitempty"`
	AverageUtilization *int32             `json:"averageUtilization,omitempty"`
}

// IPBlock is networking/v1's IPBlock.
type IPBlock struct {
	CIDR string `json:"cidr"`
}

// HTTPIngressRuleValue is networking/v1's HTTPIngressRuleValue.
type HTTPIngressRuleValue struct {
	Paths []HTTPIngressPath `json:"paths"`
}

// VolumeSource is core/v1's VolumeSource.
type VolumeSource struct {
	EmptyDir              *EmptyDirVolumeSource              `json:"emptyDir,omitempty"`
	PersistentVolumeClaim *PersistentVolumeClaimVolumeSource `json:"persistentVolumeClaim,omitempty"`
	ConfigMap             *ConfigMapVolumeSource             `json:"configMap,omitempty"`
}

// ContainerPort is core/v1's ContainerPort.
type ContainerPort struct {
	Name          string   `json:"name,omitempty"`
	ContainerPort int32    `json:"containerPort"`
	Protocol      Protocol `json:"protocol,omitempty"`
}

// EnvVar is core/v1's EnvVar.
type EnvVar struct {
	Name      string        `json:"name"`
	Value     string        `json:"value,omitempty"`
	ValueFrom *EnvVarSource `json:"valueFrom,omitempty"`
}

// VolumeMount is core/v1's VolumeMount.
type VolumeMount struct {
	Name      string `json:"name"`
	ReadOnly  bool   `json:"readOnly,omitempty"`
	MountPath string `json:"mountPath"`
	SubPath   string `json:"subPath,omitempty"`
}

// Probe is core/v1's Probe.
type Probe struct {
	ProbeHandler                  `json:",inline"`
	InitialDelaySeconds           int32  `json:"initialDelaySeconds,omitempty"`
	TimeoutSeconds                int32  `json:"timeoutSeconds,omitempty"`
	PeriodSeconds                 int32  `json:"periodSeconds,omitempty"`
	FailureThreshold              int32  `json:"failureThreshold,omitempty"`
	TerminationGracePeriodSeconds *int64 `json:"terminationGracePeriodSeconds,omitempty"`
}

// Lifecycle is core/v1's Lifecycle.
type Lifecycle struct {
	PreStop *LifecycleHandler `json:"preStop,omitempty"`
}

// SecurityContext is core/v1's SecurityContext.
type SecurityContext struct {
	Capabilities             *Capabilities   `json:"capabilities,omitempty"`
	Privileged               *bool           `json:"privileged,omitempty"`
	RunAsUser                *int64          `json:"runAsUser,omitempty"`
	RunAsGroup               *int64          `json:"runAsGroup,omitempty"`
	RunAsNonRoot             *bool           `json:"runAsNonRoot,omitempty"`
	ReadOnlyRootFilesystem   *bool           `json:"readOnlyRootFilesystem,omitempty"`
	AllowPrivilegeEscalation *bool           `json:"allowPrivilegeEscalation,omitempty"`
	SeccompProfile           *SeccompProfile `json:"seccompProfile,omitempty"`
}

// SeccompProfile is core/v1's SeccompProfile.
type SeccompProfile struct {
	Type SeccompProfileType `json:"type"`
}

// PodAntiAffinity is core/v1's PodAntiAffinity.
type PodAntiAffinity struct {
	RequiredDuringSchedulingIgnoredDuringExecution  []PodAffinityTerm         `json:"requiredDuringSchedulingIgnoredDuringExecution,omitempty"`
	PreferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm `json:"preferredDuringSchedulingIgnoredDuringExecution,omitempty"`
}

// HTTPIngressPath is networking/v1's HTTPIngressPath.
type HTTPIngressPath struct {
	Path     string         `json:"path,omitempty"`
	PathType *PathType      `json:"pathType"`
	Backend  IngressBackend `json:"backend"`
}

// EmptyDirVolumeSource is core/v1's EmptyDirVolumeSource.
type EmptyDirVolumeSource struct {
}

// PersistentVolumeClaimVolumeSource is core/v1's PersistentVolumeClaimVolumeSource.
type PersistentVolumeClaimVolumeSource struct {
	ClaimName string `json:"claimName"`
	ReadOnly  bool   `json:"readOnly,omitempty"`
}

// ConfigMapVolumeSource is core/v1's ConfigMapVolumeSource.
type ConfigMapVolumeSource struct {
	LocalObjectReference `json:",inline"`
	Optional             *bool `json:"optional,omitempty"`
}

// EnvVarSource is core/v1's EnvVarSource.
type EnvVarSource struct {
	SecretKeyRef *SecretKeySelector `json:"secretKeyRef,omitempty"`
}

// ProbeHandler is core/v1's ProbeHandler.
type ProbeHandler struct {
	Exec      *ExecAction      `json:"exec,omitempty"`
	HTTPGet   *HTTPGetAction   `json:"httpGet,omitempty"`
	TCPSocket *TCPSocketAction `json:"tcpSocket,omitempty"`
}

// LifecycleHandler is core/v1's LifecycleHandler.
type LifecycleHandler struct {
	Exec      *ExecAction      `json:"exec,omitempty"`
	HTTPGet   *HTTPGetAction   `json:"httpGet,omitempty"`
	TCPSocket *TCPSocketAction `json:"tcpSocket,omitempty"`
}

// Capabilities is core/v1's Capabilities.
type Capabilities struct {
	Add  []Capability `json:"add,omitempty"`
	Drop []Capability `json:"drop,omitempty"`
}

// PodAffinityTerm is core/v1's PodAffinityTerm.
type PodAffinityTerm struct {
	LabelSelector     *LabelSelector `json:"labelSelector,omitempty"`
	TopologyKey       string         `json:"topologyKey"`
	NamespaceSelector *LabelSelector `json:"namespaceSelector,omitempty"`
}

// WeightedPodAffinityTerm is core/v1's WeightedPodAffinityTerm.
type WeightedPodAffinityTerm struct {
	Weight          int32           `json:"weight"`
	PodAffinityTerm PodAffinityTerm `json:"podAffinityTerm"`
}

// IngressBackend is networking/v1's IngressBackend.
type IngressBackend struct {
	Service *IngressServiceBackend `json:"service,omitempty"`
}

// LocalObjectReference is core/v1's LocalObjectReference.
type LocalObjectReference struct {
	Name string `json:"name,omitempty"`
}

// SecretKeySelector is core/v1's SecretKeySelector.
type SecretKeySelector struct {
	LocalObjectReference `json:",inline"`
	Key                  string `json:"key"`
	Optional             *bool  `json:"optional,omitempty"`
}

// ExecAction is core/v1's ExecAction.
type ExecAction struct {
	Command []string `json:"command,omitempty"`
}

// HTTPGetAction is core/v1's HTTPGetAction.
type HTTPGetAction struct {
	Path string             `json:"path,omitempty"`
	Port intstr.IntOrString `json:"port"`
	Host string             `json:"host,omitempty"`
}

// TCPSocketAction is core/v1's TCPSocketAction.
type TCPSocketAction struct {
	Port intstr.IntOrString `json:"port"`
	Host string             `json:"host,omitempty"`
}

// IngressServiceBackend is networking/v1's IngressServiceBackend.
type IngressServiceBackend struct {
	Name string             `json:"name"`
	Port ServiceBackendPort `json:"port,omitempty"`
}

// ServiceBackendPort is networking/v1's ServiceBackendPort.
type ServiceBackendPort struct {
	Name   string `json:"name,omitempty"`
	Number int32  `json:"number,omitempty"`
}

// Capability is core/v1's Capability.
type Capability string

// DeploymentStrategyType is apps/v1's DeploymentStrategyType.
type DeploymentStrategyType string

// LabelSelectorOperator is meta/v1's LabelSelectorOperator.
type LabelSelectorOperator string

// MetricSourceType is autoscaling/v2's MetricSourceType.
type MetricSourceType string

// MetricTargetType is autoscaling/v2's MetricTargetType.
type MetricTargetType string

// PathType is networking/v1's PathType.
type PathType string

// PersistentVolumeAccessMode is core/v1's PersistentVolumeAccessMode.
type PersistentVolumeAccessMode string

// PersistentVolumeReclaimPolicy is core/v1's PersistentVolumeReclaimPolicy.
type PersistentVolumeReclaimPolicy string

// PolicyType is networking/v1's PolicyType.
type PolicyType string

// Protocol is core/v1's Protocol.
type Protocol string

// PullPolicy is core/v1's PullPolicy.
type PullPolicy string

// ResourceName is core/v1's ResourceName.
type ResourceName string

// SeccompProfileType is core/v1's SeccompProfileType.
type SeccompProfileType string

// ServiceType is core/v1's ServiceType.
type ServiceType string

// UnsatisfiableConstraintAction is core/v1's UnsatisfiableConstraintAction.
type UnsatisfiableConstraintAction string

// DeepCopy is a copy of rl that shares nothing with it, as upstream's.
func (rl ResourceList) DeepCopy() ResourceList {
	if rl == nil {
		return nil
	}
	out := make(ResourceList, len(rl))
	for k, v := range rl {
		out[k] = v.DeepCopy()
	}
	return out
}
