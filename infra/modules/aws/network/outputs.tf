output "network_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "cidr" {
  description = "IPv4 CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "IDs of the public subnets, one per availability zone (load balancers, NAT)."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, one per availability zone (nodes, database)."
  value       = aws_subnet.private[*].id
}

output "workload_security_group_id" {
  description = "Security group shared by the cluster's nodes and the database's clients."
  value       = aws_security_group.workloads.id
}

output "availability_zones" {
  description = "Availability zones the subnets are spread over."
  value       = local.azs
}
