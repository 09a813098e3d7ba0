# dev: the smallest footprint that still runs the whole platform (free-tier-friendly instance
# types: t4g.micro nodes, db.t3.micro). No deletion protection, one NAT gateway, short retention.
locals {
  environment = "dev"
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
  cidr                    = "10.10.0.0/16"
  az_count                = 3
  single_nat_gateway      = true
  flow_log_retention_days = 14
  tags                    = local.tags
}

module "eks" {
  source = "../../modules/aws/eks"

  name                       = local.name
  kubernetes_version         = "1.31"
  network_id                 = module.network.network_id
  private_subnet_ids         = module.network.private_subnet_ids
  workload_security_group_id = module.network.workload_security_group_id
  endpoint_public_access     = length(var.admin_cidrs) > 0
  public_access_cidrs        = var.admin_cidrs
  node_groups = {
    on-demand = { instance_types = ["t4g.micro"], capacity_type = "ON_DEMAND", min_size = 1, max_size = 3, desired_size = 2 }
    spot      = { instance_types = ["t4g.micro", "t4g.small"], capacity_type = "SPOT", min_size = 0, max_size = 3, desired_size = 0 }
  }
  tags = local.tags
}

module "database" {
  source = "../../modules/aws/rds"

  name                       = local.name
  instance_class             = "db.t3.micro"
  allocated_storage_gb       = 20
  max_allocated_storage_gb   = 20
  network_id                 = module.network.network_id
  private_subnet_ids         = module.network.private_subnet_ids
  allowed_security_group_ids = [module.network.workload_security_group_id]
  backup_retention_days      = 1
  deletion_protection        = false
  multi_az                   = false
  tags                       = local.tags
}

module "artifacts" {
  source = "../../modules/aws/s3"

  name          = "${local.name}-artifacts-${data.aws_caller_identity.current.account_id}"
  force_destroy = true
  lifecycle_rules = [
    { id = "reports", prefix = "reports/", expiration_days = 30, noncurrent_expiration_days = 7 },
    { id = "audit-exports", prefix = "audit/", expiration_days = 90, noncurrent_expiration_days = 7 },
  ]
  tags = local.tags
}

module "secrets" {
  source = "../../modules/aws/secrets"

  name                 = "devops-ai/${local.environment}"
  recovery_window_days = 0
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
  log_retention_days = 90
  force_destroy      = true
  tags               = local.tags
}

module "compliance" {
  source = "../../modules/aws/compliance"

  name                 = local.name
  delivery_bucket_name = module.audit.bucket_name
  delivery_kms_key_id  = module.audit.kms_key_id
  tags                 = local.tags
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
    host        = { min_replicas = 1, max_replicas = 2 }
    forecasting = { min_replicas = 1, max_replicas = 2 }
  }
}
