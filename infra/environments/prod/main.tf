# prod: zone-redundant everything (NAT per zone, Multi-AZ database), private API endpoint,
# deletion protection on every store, long retention.
locals {
  environment = "prod"
  name        = "devops-ai-${local.environment}"
  tags = {
    project     = "devops-ai"
    environment = local.environment
    managed-by  = "terraform"
  }
}

data "aws_caller_identity" "current" {}

module "network" {
  source = "../../modules/aws/network"

  name                    = local.name
  cidr                    = "10.30.0.0/16"
  az_count                = 3
  single_nat_gateway      = false
  flow_log_retention_days = 365
  tags                    = local.tags
}

module "eks" {
  source = "../../modules/aws/eks"

  name                       = local.name
  kubernetes_version         = "1.31"
  network_id                 = module.network.network_id
  private_subnet_ids         = module.network.private_subnet_ids
  workload_security_group_id = module.network.workload_security_group_id
  endpoint_public_access     = false
  node_groups = {
    on-demand = { instance_types = ["m7g.large"], capacity_type = "ON_DEMAND", min_size = 3, max_size = 10, desired_size = 3, disk_size_gb = 50 }
    spot      = { instance_types = ["m7g.large", "m6g.large", "c7g.xlarge"], capacity_type = "SPOT", min_size = 0, max_size = 20, desired_size = 0, disk_size_gb = 50 }
  }
  tags = local.tags
}

module "database" {
  source = "../../modules/aws/rds"

  name                       = local.name
  instance_class             = "db.m7g.large"
  allocated_storage_gb       = 100
  max_allocated_storage_gb   = 1000
  network_id                 = module.network.network_id
  private_subnet_ids         = module.network.private_subnet_ids
  allowed_security_group_ids = [module.network.workload_security_group_id]
  backup_retention_days      = 30
  deletion_protection        = true
  multi_az                   = true
  tags                       = local.tags
}

module "artifacts" {
  source = "../../modules/aws/s3"

  name          = "${local.name}-artifacts-${data.aws_caller_identity.current.account_id}"
  force_destroy = false
  lifecycle_rules = [
    { id = "reports", prefix = "reports/", transition_to_ia_days = 30, expiration_days = 365, noncurrent_expiration_days = 30 },
    { id = "audit-exports", prefix = "audit/", transition_to_ia_days = 30, expiration_days = 2555, noncurrent_expiration_days = 90 },
  ]
  tags = local.tags
}

module "secrets" {
  source = "../../modules/aws/secrets"

  name                 = "devops-ai/${local.environment}"
  recovery_window_days = 30
  tags                 = local.tags
}

module "iam" {
  source = "../../modules/aws/iam"

  name                = local.name
  oidc_provider_arn   = module.eks.oidc_provider_arn
  oidc_issuer_url     = module.eks.oidc_issuer_url
  secret_ids          = concat(values(module.secrets.secret_ids), [module.database.master_secret_id])
  secrets_kms_key_id  = module.secrets.kms_key_id
  artifacts_bucket_id = module.artifacts.bucket_id
  tags                = local.tags
}

module "audit" {
  source = "../../modules/aws/audit"

  name               = local.name
  log_retention_days = 2555
  force_destroy      = false
  tags               = local.tags
}

module "compliance" {
  source = "../../modules/aws/compliance"

  name                 = local.name
  delivery_bucket_name = module.audit.bucket_name
  delivery_kms_key_id  = module.audit.kms_key_id

  require_deletion_protection      = true
  require_private_cluster_endpoint = true
  tags                             = local.tags
}

module "budgets" {
  source = "../../modules/aws/budgets"

  name              = local.name
  monthly_limit_usd = var.monthly_budget_usd
  webhook_url       = var.budget_webhook_url
  tags              = local.tags
}

module "hpa" {
  source = "../../modules/aws/hpa"
  count  = var.manage_hpa ? 1 : 0

  targets = {
    host        = { min_replicas = 2, max_replicas = 6 }
    cost        = { min_replicas = 2, max_replicas = 4 }
    metrics     = { min_replicas = 2, max_replicas = 8 }
    k8s         = { min_replicas = 2, max_replicas = 4 }
    github      = { min_replicas = 2, max_replicas = 4 }
    forecasting = { min_replicas = 2, max_replicas = 8, memory_utilization_percent = 80 }
  }
}
