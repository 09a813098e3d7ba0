data "aws_partition" "current" {}

locals {
  base_rules = {
    s3-public-read-prohibited   = "S3_BUCKET_PUBLIC_READ_PROHIBITED"
    s3-public-write-prohibited  = "S3_BUCKET_PUBLIC_WRITE_PROHIBITED"
    s3-sse-enabled              = "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED"
    s3-tls-only                 = "S3_BUCKET_SSL_REQUESTS_ONLY"
    rds-storage-encrypted       = "RDS_STORAGE_ENCRYPTED"
    rds-not-public              = "RDS_INSTANCE_PUBLIC_ACCESS_CHECK"
    rds-backups-enabled         = "DB_INSTANCE_BACKUP_ENABLED"
    cloudtrail-enabled          = "CLOUD_TRAIL_ENABLED"
    cloudtrail-log-validation   = "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED"
    cloudtrail-encrypted        = "CLOUD_TRAIL_ENCRYPTION_ENABLED"
    iam-no-admin-policies       = "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS"
    ebs-encrypted-volumes       = "ENCRYPTED_VOLUMES"
    vpc-flow-logs-enabled       = "VPC_FLOW_LOGS_ENABLED"
    vpc-default-sg-closed       = "VPC_DEFAULT_SECURITY_GROUP_CLOSED"
    eks-secrets-encrypted       = "EKS_SECRETS_ENCRYPTED"
    secretsmanager-uses-cmk     = "SECRETSMANAGER_USING_CMK"
    ec2-imdsv2-required         = "EC2_IMDSV2_CHECK"
    restricted-ssh              = "INCOMING_SSH_DISABLED"
    root-account-mfa-enabled    = "ROOT_ACCOUNT_MFA_ENABLED"
    iam-user-no-inline-policies = "IAM_USER_NO_POLICIES_CHECK"
  }
  optional_rules = merge(
    var.require_deletion_protection ? { rds-deletion-protection = "RDS_INSTANCE_DELETION_PROTECTION_ENABLED" } : {},
    var.require_private_cluster_endpoint ? { eks-endpoint-private = "EKS_ENDPOINT_NO_PUBLIC_ACCESS" } : {},
  )
  rules = merge(local.base_rules, local.optional_rules)
}

data "aws_iam_policy_document" "assume" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["config.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "config" {
  name               = "${var.name}-aws-config"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "config" {
  role       = aws_iam_role.config.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWS_ConfigRole"
}

resource "aws_config_configuration_recorder" "this" {
  name     = var.name
  role_arn = aws_iam_role.config.arn
  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }
}

resource "aws_config_delivery_channel" "this" {
  name           = var.name
  s3_bucket_name = var.delivery_bucket_name
  s3_kms_key_arn = var.delivery_kms_key_id
  snapshot_delivery_properties {
    delivery_frequency = "TwentyFour_Hours"
  }
  depends_on = [aws_config_configuration_recorder.this]
}

resource "aws_config_configuration_recorder_status" "this" {
  name       = aws_config_configuration_recorder.this.name
  is_enabled = true
  depends_on = [aws_config_delivery_channel.this]
}

resource "aws_config_config_rule" "this" {
  for_each = local.rules

  name = "${var.name}-${each.key}"
  source {
    owner             = "AWS"
    source_identifier = each.value
  }
  tags       = var.tags
  depends_on = [aws_config_configuration_recorder.this]
}
