{{/* Release-wide base name: "<release>" when it already contains the chart name, else "<release>-trustplane". */}}
{{- define "trustplane.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Name of one service's objects, e.g. "trustplane-lease-service". Call with (dict "root" $ "name" "lease"). */}}
{{- define "trustplane.serviceName" -}}
{{- printf "%s-%s-service" (include "trustplane.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels shared by every object of the release, except the instance label (see commonLabels). */}}
{{- define "trustplane.baseLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: trustplane
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of release-wide objects (not tied to one service). */}}
{{- define "trustplane.commonLabels" -}}
{{ include "trustplane.baseLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selector labels of one service: stable across upgrades (never add version labels here). */}}
{{- define "trustplane.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}-service
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* Full label set of one service's objects. */}}
{{- define "trustplane.labels" -}}
{{ include "trustplane.baseLabels" .root }}
{{ include "trustplane.selectorLabels" . }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* Image reference: registry/repository/<name>:<tag>[-aot|-native], all set once under .Values.image. */}}
{{- define "trustplane.image" -}}
{{- $img := .root.Values.image -}}
{{- $tag := default .root.Chart.AppVersion $img.tag -}}
{{- if eq $img.variant "native" }}{{ $tag = printf "%s-native" $tag }}{{ end -}}
{{- if eq $img.variant "jvm-aot" }}{{ $tag = printf "%s-aot" $tag }}{{ end -}}
{{- $name := default (printf "%s-service" .name) .svc.image.name -}}
{{- if $img.registry -}}
{{- printf "%s/%s/%s:%s" $img.registry $img.repository $name $tag -}}
{{- else -}}
{{- printf "%s/%s:%s" $img.repository $name $tag -}}
{{- end -}}
{{- end -}}

{{/* ServiceAccount name of one service. */}}
{{- define "trustplane.serviceAccountName" -}}
{{- if .root.Values.serviceAccount.create -}}
{{- include "trustplane.serviceName" . -}}
{{- else -}}
{{- default "default" .root.Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* In-cluster base URL of a service, for trustplane.services.* */}}
{{- define "trustplane.serviceUrl" -}}
{{- $svc := index .root.Values.services .name -}}
{{- printf "http://%s:%v" (include "trustplane.serviceName" .) $svc.port -}}
{{- end -}}

{{/* PostgreSQL query string for JDBC (Flyway). */}}
{{- define "trustplane.jdbcParams" -}}
{{- $tls := .Values.postgresql.tls -}}
{{- if $tls.enabled -}}
?sslmode={{ $tls.mode }}{{ if $tls.caSecret }}&sslrootcert=/etc/trustplane/postgresql-ca/{{ $tls.caKey }}{{ end }}
{{- end -}}
{{- end -}}
