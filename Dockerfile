# syntax=docker/dockerfile:1
# One image recipe for both hosts: --build-arg PROJECT=Api (the front end, also able to co-host a
# silo) or PROJECT=Silo (a standalone silo). Multi-stage: the SDK builds, the ASP.NET runtime runs.
ARG PROJECT=Api

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT
WORKDIR /src
# Restore first, from the project files only, so source edits reuse the cached restore layer.
COPY Directory.Build.props Directory.Packages.props ./
COPY GrainInterfaces/GrainInterfaces.csproj GrainInterfaces/
COPY Grains/Grains.csproj Grains/
COPY ServiceDefaults/ServiceDefaults.csproj ServiceDefaults/
COPY Silo/Silo.csproj Silo/
COPY Api/Api.csproj Api/
RUN dotnet restore ${PROJECT}/${PROJECT}.csproj
COPY GrainInterfaces/ GrainInterfaces/
COPY Grains/ Grains/
COPY ServiceDefaults/ ServiceDefaults/
COPY Silo/ Silo/
COPY Api/ Api/
COPY deploy/migrations/ deploy/migrations/
RUN dotnet publish ${PROJECT}/${PROJECT}.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
ARG PROJECT
# ffmpeg grabs live thumbnails (silo side) and runs the HLS workers (the Api node nginx calls);
# the SkiaSharp native library needs nothing more.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV WG_ASSEMBLY=WgStream.${PROJECT}.dll \
    ASPNETCORE_URLS=http://+:8080 \
    WG_Cluster__SiloPort=11111 \
    WG_Cluster__GatewayPort=30000 \
    WG_Media__LocalDirectory=/app/var/media
RUN mkdir -p /app/var/media /app/var/hls && chown -R app:app /app/var
# The non-root user the .NET images ship.
USER app
EXPOSE 8080 11111 30000
# The image has no curl: the app checks itself (Api: GET /healthz; Silo: its gateway port accepts).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["sh", "-c", "exec dotnet \"$WG_ASSEMBLY\" healthcheck"]
ENTRYPOINT ["sh", "-c", "exec dotnet \"$WG_ASSEMBLY\" \"$@\"", "--"]
