{{/* Release-scoped base name, at most 63 characters as Kubernetes names require. */}}
{{- define "textplane.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Name of one component's objects; call with (dict "root" $ "component" "gateway"). */}}
{{- define "textplane.componentName" -}}
{{- printf "%s-%s" (include "textplane.fullname" .root | trunc 50 | trimSuffix "-") .component -}}
{{- end -}}

{{- define "textplane.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: textplane
{{ include "textplane.selectorLabels" . }}
{{- end -}}

{{/* Selector labels never change after install (a Deployment's selector is immutable). */}}
{{- define "textplane.selectorLabels" -}}
app.kubernetes.io/name: textplane
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* image: call with (dict "root" $ "image" .Values.gateway.image). */}}
{{- define "textplane.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{/* The chart's own Secret; holds only the keys not supplied by an existing Secret. */}}
{{- define "textplane.secretName" -}}
{{- include "textplane.componentName" (dict "root" . "component" "secrets") -}}
{{- end -}}

{{/* Where the shared secrets (admin token, Telnyx keys) are read from. */}}
{{- define "textplane.appSecretName" -}}
{{- default (include "textplane.secretName" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* secretKeyRef of a service's database URL; call with (dict "root" $ "svc" .Values.gateway "key" "GATEWAY_DATABASE_URL"). */}}
{{- define "textplane.databaseUrlRef" -}}
{{- if .svc.existingDatabaseSecret.name -}}
name: {{ .svc.existingDatabaseSecret.name }}
key: {{ required "existingDatabaseSecret.key is required with existingDatabaseSecret.name" .svc.existingDatabaseSecret.key }}
{{- else -}}
name: {{ include "textplane.secretName" .root }}
key: {{ .key }}
{{- end -}}
{{- end -}}

{{- define "textplane.kafkaBrokers" -}}
{{- if not .Values.kafka.brokers -}}
{{- fail "kafka.brokers is required (a list of host:port)" -}}
{{- end -}}
{{- join "," .Values.kafka.brokers -}}
{{- end -}}

{{- define "textplane.carrierSimUrl" -}}
{{- printf "http://%s:%v" (include "textplane.componentName" (dict "root" . "component" "carrier-sim")) .Values.carrierSim.port -}}
{{- end -}}

{{- define "textplane.telnyxBaseUrl" -}}
{{- if .Values.telnyx.baseUrl -}}
{{- .Values.telnyx.baseUrl -}}
{{- else if .Values.carrierSim.enabled -}}
{{- printf "%s/v2" (include "textplane.carrierSimUrl" .) -}}
{{- else -}}
https://api.telnyx.com/v2
{{- end -}}
{{- end -}}

{{/* Pod-level settings shared by every Deployment; call with (dict "root" $ "svc" .Values.gateway). */}}
{{- define "textplane.podPlacement" -}}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .svc.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .svc.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .svc.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
