variable "name" {
  type        = string
  description = "Name of the GKE cluster (lowercase letters, digits and dashes)."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 characters of lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "project_id" {
  type        = string
  description = "GCP project ID."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a valid GCP project ID."
  }
}

variable "region" {
  type        = string
  description = "Region of the (regional) cluster."
  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region must look like europe-west1."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "Minimum Kubernetes minor version of the control plane, e.g. \"1.31\" (the release channel upgrades it)."
  validation {
    condition     = can(regex("^1\\.(2[89]|3[0-9])$", var.kubernetes_version))
    error_message = "kubernetes_version must be a minor version between 1.28 and 1.39, e.g. \"1.31\"."
  }
}

variable "network_id" {
  type        = string
  description = "ID of the VPC network (output network_id of the network module)."
  validation {
    condition     = can(regex("^projects/[^/]+/global/networks/[^/]+$", var.network_id))
    error_message = "network_id must be a network ID like projects/<project>/global/networks/<name>."
  }
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "Subnet for the nodes (output private_subnet_ids of the network module; the first is used)."
  validation {
    condition     = length(var.private_subnet_ids) >= 1
    error_message = "private_subnet_ids must hold at least one subnet."
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
  description = "Node pools by name, same shape as the eks module: the first instance type is the machine type; capacity_type SPOT makes Spot VMs (tainted)."
  validation {
    condition     = length(var.node_groups) > 0 && alltrue([for g in values(var.node_groups) : contains(["ON_DEMAND", "SPOT"], g.capacity_type)])
    error_message = "node_groups must not be empty and capacity_type must be ON_DEMAND or SPOT."
  }
  validation {
    condition     = alltrue([for g in values(var.node_groups) : g.min_size >= 0 && g.min_size <= g.desired_size && g.desired_size <= g.max_size && g.max_size >= 1])
    error_message = "Each node group needs 0 <= min_size <= desired_size <= max_size and max_size >= 1."
  }
}

variable "endpoint_public_access" {
  type        = bool
  description = "Expose the control plane's public endpoint (restricted to public_access_cidrs)."
  default     = false
}

variable "public_access_cidrs" {
  type        = list(string)
  description = "CIDR blocks allowed to reach the public endpoint."
  default     = []
  validation {
    condition     = alltrue([for c in var.public_access_cidrs : can(cidrnetmask(c)) && c != "0.0.0.0/0"])
    error_message = "public_access_cidrs must be valid CIDR blocks and must not include 0.0.0.0/0."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse terraform destroy of the cluster."
  default     = true
}

variable "kms_key_id" {
  type        = string
  description = "Cloud KMS key for application-layer encryption of Kubernetes Secrets; null relies on Google's default encryption at rest."
  default     = null
  validation {
    condition     = var.kms_key_id == null || can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.kms_key_id))
    error_message = "kms_key_id must be a Cloud KMS key ID (projects/.../cryptoKeys/...) or null."
  }
}

variable "tags" {
  type        = map(string)
  description = "Labels of the cluster and nodes."
  default     = {}
  validation {
    condition     = alltrue([for k, v in var.tags : can(regex("^[a-z][a-z0-9_-]{0,62}$", k)) && can(regex("^[a-z0-9_-]{0,63}$", v))])
    error_message = "GCP labels need lowercase keys and values of letters, digits, dashes and underscores."
  }
}
