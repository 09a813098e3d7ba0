variable "name" {
  type        = string
  description = "Name of the EKS cluster (lowercase letters, digits and dashes)."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes minor version of the control plane, e.g. \"1.31\"."
  validation {
    condition     = can(regex("^1\\.(2[89]|3[0-9])$", var.kubernetes_version))
    error_message = "kubernetes_version must be a supported minor version between 1.28 and 1.39, e.g. \"1.31\"."
  }
}

variable "network_id" {
  type        = string
  description = "ID of the VPC the cluster runs in (output network_id of the network module)."
  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.network_id))
    error_message = "network_id must be a VPC ID (vpc-...)."
  }
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "Private subnets for the control-plane ENIs and the nodes, in at least two zones."
  validation {
    condition     = length(var.private_subnet_ids) >= 2 && alltrue([for s in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "private_subnet_ids must hold at least two subnet IDs (subnet-...)."
  }
}

variable "workload_security_group_id" {
  type        = string
  description = "Security group attached to the nodes (output workload_security_group_id of the network module)."
  validation {
    condition     = can(regex("^sg-[0-9a-f]+$", var.workload_security_group_id))
    error_message = "workload_security_group_id must be a security group ID (sg-...)."
  }
}

variable "node_groups" {
  type = map(object({
    instance_types = list(string)
    capacity_type  = string
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gb   = optional(number, 20)
    labels         = optional(map(string), {})
  }))
  description = "Managed node groups by name. capacity_type is ON_DEMAND or SPOT; spot groups are tainted so only tolerating workloads land there."
  validation {
    condition     = length(var.node_groups) > 0 && alltrue([for g in values(var.node_groups) : contains(["ON_DEMAND", "SPOT"], g.capacity_type)])
    error_message = "node_groups must not be empty and capacity_type must be ON_DEMAND or SPOT."
  }
  validation {
    condition     = alltrue([for g in values(var.node_groups) : g.min_size >= 0 && g.min_size <= g.desired_size && g.desired_size <= g.max_size && g.max_size >= 1])
    error_message = "Each node group needs 0 <= min_size <= desired_size <= max_size and max_size >= 1."
  }
  validation {
    condition     = alltrue([for g in values(var.node_groups) : length(g.instance_types) > 0 && g.disk_size_gb >= 20])
    error_message = "Each node group needs at least one instance type and a disk of at least 20 GB."
  }
}

variable "endpoint_public_access" {
  type        = bool
  description = "Expose the Kubernetes API endpoint publicly (restricted to public_access_cidrs). The private endpoint is always on."
  default     = false
}

variable "public_access_cidrs" {
  type        = list(string)
  description = "CIDR blocks allowed to reach the public API endpoint when endpoint_public_access is true."
  default     = []
  validation {
    condition     = alltrue([for c in var.public_access_cidrs : can(cidrnetmask(c)) && c != "0.0.0.0/0"])
    error_message = "public_access_cidrs must be valid CIDR blocks and must not include 0.0.0.0/0."
  }
}

variable "cluster_log_types" {
  type        = list(string)
  description = "Control-plane log types shipped to CloudWatch Logs."
  default     = ["api", "audit", "authenticator"]
  validation {
    condition     = alltrue([for t in var.cluster_log_types : contains(["api", "audit", "authenticator", "controllerManager", "scheduler"], t)])
    error_message = "cluster_log_types accepts api, audit, authenticator, controllerManager and scheduler."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource."
  default     = {}
  validation {
    condition     = alltrue([for k, v in var.tags : length(k) >= 1 && length(k) <= 128 && length(v) <= 256 && !startswith(lower(k), "aws:")])
    error_message = "tags keys must be 1-128 characters and may not start with aws:; values at most 256 characters."
  }
}
