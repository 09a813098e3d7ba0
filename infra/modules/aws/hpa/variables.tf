variable "namespace" {
  type        = string
  description = "Namespace of the platform's Deployments."
  default     = "devops-ai"
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.namespace)) && length(var.namespace) <= 63
    error_message = "namespace must be a valid Kubernetes namespace name."
  }
}

variable "release_name" {
  type        = string
  description = "Helm release name; the Deployments are named <release_name>-<component>."
  default     = "devops-ai"
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.release_name))
    error_message = "release_name must be a valid Helm release name."
  }
}

variable "targets" {
  type = map(object({
    min_replicas                 = number
    max_replicas                 = number
    cpu_utilization_percent      = optional(number, 70)
    memory_utilization_percent   = optional(number)
    scale_down_stabilization_sec = optional(number, 300)
  }))
  description = "HPA per component (host, cost, metrics, k8s, github, forecasting). Disable the chart's own HPA for a component managed here."
  validation {
    condition     = alltrue([for k, t in var.targets : contains(["host", "cost", "metrics", "k8s", "github", "forecasting"], k)])
    error_message = "targets keys must be platform components: host, cost, metrics, k8s, github, forecasting."
  }
  validation {
    condition     = alltrue([for t in values(var.targets) : t.min_replicas >= 1 && t.min_replicas <= t.max_replicas && t.max_replicas <= 100])
    error_message = "Each target needs 1 <= min_replicas <= max_replicas <= 100."
  }
  validation {
    condition     = alltrue([for t in values(var.targets) : t.cpu_utilization_percent > 0 && t.cpu_utilization_percent <= 100 && (t.memory_utilization_percent == null || try(t.memory_utilization_percent > 0 && t.memory_utilization_percent <= 100, false))])
    error_message = "Utilization targets must be percentages between 1 and 100."
  }
}

variable "labels" {
  type        = map(string)
  description = "Extra labels of the HPA objects."
  default     = {}
  validation {
    condition     = alltrue([for k, v in var.labels : can(regex("^([a-z0-9.-]+/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$", k)) && length(v) <= 63])
    error_message = "labels must be valid Kubernetes label keys with values of at most 63 characters."
  }
}
