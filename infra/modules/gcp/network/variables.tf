variable "name" {
  type        = string
  description = "Name prefix for every resource of the network (lowercase letters, digits and dashes)."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 characters of lowercase letters, digits and dashes, starting with a letter."
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
  description = "Region of the subnet, e.g. europe-west1 (GCP subnets span all zones of a region)."
  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region must look like europe-west1."
  }
}

variable "cidr" {
  type        = string
  description = "Primary IPv4 range of the nodes' subnet (/16 to /20); pod and service ranges are separate (pods_cidr, services_cidr)."
  validation {
    condition     = can(cidrnetmask(var.cidr)) && tonumber(split("/", var.cidr)[1]) >= 16 && tonumber(split("/", var.cidr)[1]) <= 20
    error_message = "cidr must be a valid IPv4 CIDR block between /16 and /20."
  }
}

variable "pods_cidr" {
  type        = string
  description = "Secondary range for GKE pods."
  default     = "10.64.0.0/14"
  validation {
    condition     = can(cidrnetmask(var.pods_cidr))
    error_message = "pods_cidr must be a valid IPv4 CIDR block."
  }
}

variable "services_cidr" {
  type        = string
  description = "Secondary range for GKE services."
  default     = "10.68.0.0/20"
  validation {
    condition     = can(cidrnetmask(var.services_cidr))
    error_message = "services_cidr must be a valid IPv4 CIDR block."
  }
}

variable "flow_log_sampling" {
  type        = number
  description = "Fraction of flows recorded in the VPC flow logs (0 < x <= 1)."
  default     = 0.5
  validation {
    condition     = var.flow_log_sampling > 0 && var.flow_log_sampling <= 1
    error_message = "flow_log_sampling must be in (0, 1]."
  }
}

variable "tags" {
  type        = map(string)
  description = "Labels for resources that take labels (same input name as the AWS modules)."
  default     = {}
  validation {
    condition     = alltrue([for k, v in var.tags : can(regex("^[a-z][a-z0-9_-]{0,62}$", k)) && can(regex("^[a-z0-9_-]{0,63}$", v))])
    error_message = "GCP labels need lowercase keys and values of letters, digits, dashes and underscores."
  }
}
