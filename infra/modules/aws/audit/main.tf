data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account     = data.aws_caller_identity.current.account_id
  partition   = data.aws_partition.current.partition
  bucket_name = "${var.name}-audit-${local.account}"
  bucket_arn  = "arn:${local.partition}:s3:::${local.bucket_name}"
  trail_arn   = "arn:${local.partition}:cloudtrail:${data.aws_region.current.name}:${local.account}:trail/${var.name}"
}

data "aws_iam_policy_document" "key" {
  statement {
    sid    = "AccountAdministers"
    effect = "Allow"
    actions = [
      "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateGrant", "kms:Decrypt", "kms:DeleteAlias",
      "kms:DescribeKey", "kms:DisableKey", "kms:EnableKey", "kms:EnableKeyRotation", "kms:Encrypt",
      "kms:GenerateDataKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases",
      "kms:ListGrants", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ReEncryptFrom", "kms:ReEncryptTo",
      "kms:RevokeGrant", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource",
      "kms:UpdateAlias", "kms:UpdateKeyDescription",
    ]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account}:root"]
    }
  }
  statement {
    sid       = "CloudTrailEncrypts"
    effect    = "Allow"
    actions   = ["kms:GenerateDataKey", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com", "config.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_kms_key" "this" {
  description         = "Audit logs of ${var.name}"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json
  tags                = var.tags
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "LogServicesCheckAcl"
    effect    = "Allow"
    actions   = ["s3:GetBucketAcl", "s3:ListBucket"]
    resources = [local.bucket_arn]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com", "config.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
  statement {
    sid       = "LogServicesWrite"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/AWSLogs/${local.account}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com", "config.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

module "bucket" {
  source = "../s3"

  name                   = local.bucket_name
  versioning_enabled     = true
  kms_key_id             = aws_kms_key.this.arn
  force_destroy          = var.force_destroy
  policy_statements_json = data.aws_iam_policy_document.bucket.json
  lifecycle_rules = [{
    id                         = "audit-retention"
    transition_to_ia_days      = 30
    expiration_days            = var.log_retention_days
    noncurrent_expiration_days = 30
  }]
  tags = var.tags
}

resource "aws_cloudtrail" "this" {
  name                          = var.name
  s3_bucket_name                = module.bucket.bucket_name
  kms_key_id                    = aws_kms_key.this.arn
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  tags                          = var.tags

  # CloudTrail checks the bucket policy when the trail is created.
  depends_on = [module.bucket]

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
}
