terraform {
  required_version = ">= 1.6.0"

  # Partial configuration: terraform init -backend-config="bucket=<state bucket>" -backend-config="prefix=devops-ai/gcp-dev"
  backend "gcs" {}

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.10"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}
