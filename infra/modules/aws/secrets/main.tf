data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

resource "aws_kms_key" "this" {
  description         = "Secrets of ${var.name}"
  enable_key_rotation = true
  tags                = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${replace(var.name, "/", "-")}-secrets"
  target_key_id = aws_kms_key.this.key_id
}

resource "aws_secretsmanager_secret" "this" {
  for_each = var.secrets

  name                    = "${var.name}/${each.key}"
  description             = each.value.description
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = var.recovery_window_days
  tags                    = merge(var.tags, { "devops-ai/secret" = each.key })
}

resource "aws_secretsmanager_secret_rotation" "this" {
  for_each = var.rotation_lambda_arn == null ? {} : { for k, s in var.secrets : k => s if s.rotation_days != null }

  secret_id           = aws_secretsmanager_secret.this[each.key].id
  rotation_lambda_arn = var.rotation_lambda_arn
  rotation_rules {
    automatically_after_days = each.value.rotation_days
  }
}

# Rotation hook: every rotation (and manual PutSecretValue) of these secrets is published on an
# SNS topic so the host (or an operator's automation) can reload credentials.
resource "aws_sns_topic" "rotation" {
  name              = "${replace(var.name, "/", "-")}-secret-rotation"
  kms_master_key_id = aws_kms_key.this.arn
  tags              = var.tags
}

resource "aws_cloudwatch_event_rule" "rotation" {
  name        = "${replace(var.name, "/", "-")}-secret-rotation"
  description = "Secrets Manager rotation and updates of ${var.name}/*"
  event_pattern = jsonencode({
    source        = ["aws.secretsmanager"]
    "detail-type" = ["AWS API Call via CloudTrail", "AWS Service Event via CloudTrail"]
    detail = {
      eventName = ["RotationSucceeded", "RotationFailed", "PutSecretValue", "RotateSecret"]
      # API calls name the secret in requestParameters (by name or ARN), rotation service events
      # in additionalEventData; a wildcard on "<name>/" matches both forms.
      "$or" = [
        { requestParameters = { secretId = [{ wildcard = "*${var.name}/*" }] } },
        { additionalEventData = { SecretId = [{ wildcard = "*${var.name}/*" }] } },
      ]
    }
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_target" "rotation" {
  rule = aws_cloudwatch_event_rule.rotation.name
  arn  = aws_sns_topic.rotation.arn
}

data "aws_iam_policy_document" "rotation_topic" {
  statement {
    sid       = "EventBridgePublish"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.rotation.arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.rotation.arn]
    }
  }
}

resource "aws_sns_topic_policy" "rotation" {
  arn    = aws_sns_topic.rotation.arn
  policy = data.aws_iam_policy_document.rotation_topic.json
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
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  statement {
    sid       = "EventBridgeToEncryptedTopic"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
  }
}

resource "aws_kms_key_policy" "this" {
  key_id = aws_kms_key.this.id
  policy = data.aws_iam_policy_document.key.json
}
