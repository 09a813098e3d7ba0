{{/* Chart name, truncated to 63 characters. */}}
{{- define "devops-ai.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name prefix: <release>-<chart>, or <release> when it already contains the chart name. */}}
{{- define "devops-ai.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of one component's resources: <fullname>-<component>. Call with (dict "root" $ "component" "host"). */}}
{{- define "devops-ai.componentName" -}}
{{- printf "%s-%s" (include "devops-ai.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "devops-ai.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels common to every resource (app.kubernetes.io/instance comes with the selector labels,
     or with "devops-ai.instanceLabel" on resources that belong to no component). */}}
{{- define "devops-ai.labels" -}}
helm.sh/chart: {{ include "devops-ai.chart" . }}
app.kubernetes.io/part-of: devops-ai
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{- define "devops-ai.instanceLabel" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selector labels of one component. Call with (dict "root" $ "component" "host"). */}}
{{- define "devops-ai.selectorLabels" -}}
app.kubernetes.io/name: {{ include "devops-ai.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* All labels of one component's resources. */}}
{{- define "devops-ai.componentLabels" -}}
{{ include "devops-ai.labels" .root }}
{{ include "devops-ai.selectorLabels" . }}
{{- end -}}

{{/* Image reference. Call with (dict "root" $ "image" .Values.host.image). */}}
{{- define "devops-ai.image" -}}
{{- $tag := .image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .image.repository $tag -}}
{{- end -}}

{{/* In-cluster URL of an MCP server's streamable HTTP endpoint. */}}
{{- define "devops-ai.mcpUrl" -}}
{{- printf "http://%s.%s.svc:%d%s" (include "devops-ai.componentName" (dict "root" .root "component" .name)) .root.Release.Namespace (int .server.port) .server.path -}}
{{- end -}}

{{/* Host names an MCP server accepts in the Host header (mcp-kit's DNS-rebinding guard). */}}
{{- define "devops-ai.mcpAllowedHosts" -}}
{{- $svc := include "devops-ai.componentName" (dict "root" .root "component" .name) -}}
{{- $ns := .root.Release.Namespace -}}
{{- printf "%s,%s.%s,%s.%s.svc,%s.%s.svc.cluster.local" $svc $svc $ns $svc $ns $svc $ns -}}
{{- end -}}

{{/* Volumes and mounts every container needs with a read-only root filesystem. */}}
{{- define "devops-ai.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end -}}
