# Stand-in for mcr.microsoft.com/dotnet/sdk: the host's whole SDK on top of the runtime stand-in. It trusts the
# host's certificate bundle, so a restore inside a build reaches the NuGet feed the host reaches.
ARG RUNTIME_IMAGE
FROM ${RUNTIME_IMAGE}
COPY dotnet /usr/share/dotnet
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1 \
    DOTNET_GENERATE_ASPNET_CERTIFICATE=false \
    NUGET_CERT_REVOCATION_MODE=offline
