variable "name" {
  type        = string
  description = "Name prefix for every resource of the network (lowercase letters, digits and dashes)."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 characters of lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "cidr" {
  type        = string
  description = "IPv4 CIDR block of the VPC; subnets are carved out of it (/16 to /20)."
  validation {
    condition     = can(cidrnetmask(var.cidr)) && tonumber(split("/", var.cidr)[1]) >= 16 && tonumber(split("/", var.cidr)[1]) <= 20
    error_message = "cidr must be a valid IPv4 CIDR block between /16 and /20."
  }
}

variable "az_count" {
  type        = number
  description = "Number of availability zones to spread the public and private subnets over."
  default     = 3
  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3 && floor(var.az_count) == var.az_count
    error_message = "az_count must be a whole number between 2 and 3 (EKS and RDS need at least two zones)."
  }
}

variable "single_nat_gateway" {
  type        = bool
  description = "Use one NAT gateway for all private subnets (cheaper, not zone-redundant) instead of one per zone."
  default     = false
}

variable "flow_log_retention_days" {
  type        = number
  description = "Retention of the VPC flow logs in CloudWatch Logs, in days."
  default     = 90
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be one of the retention periods CloudWatch Logs accepts."
  }
}

variable "flow_log_kms_key_id" {
  type        = string
  description = "ARN of the KMS key that encrypts the flow-log group; null keeps CloudWatch's default encryption."
  default     = null
  validation {
    condition     = var.flow_log_kms_key_id == null || can(regex("^arn:aws[a-z-]*:kms:", var.flow_log_kms_key_id))
    error_message = "flow_log_kms_key_id must be a KMS key ARN or null."
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
