# syntax=docker/dockerfile:1
# One image recipe for both hosts: --build-arg PROJECT=Api (the front end, also able to co-host a
# silo) or PROJECT=Silo (a standalone silo). Multi-stage: Node builds web/, the SDK builds the .NET
# projects, the ASP.NET runtime runs.
ARG PROJECT=Api

# The browser client and GraphiQL: web/ built into Api/wwwroot/app/ and Api/wwwroot/graphiql/. The
# build writes to ../Api/wwwroot/ (and copies persisted-documents.json there), so the stage keeps
# the repository's layout: web/ in /src/web, output in /src/Api/wwwroot/. Node 20, as the README says.
FROM node:20.20.2-bookworm-slim AS web
WORKDIR /src/web
# Install first, from the manifest and lockfile only, so source edits reuse the cached install layer.
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT
WORKDIR /src
# Restore first, from the project files only, so source edits reuse the cached restore layer.
COPY Directory.Build.props Directory.Packages.props ./
COPY GrainInterfaces/GrainInterfaces.csproj GrainInterfaces/
COPY Gateways/Gateways.csproj Gateways/
COPY Grains/Grains.csproj Grains/
COPY Hosting/Hosting.csproj Hosting/
COPY ServiceDefaults/ServiceDefaults.csproj ServiceDefaults/
COPY Silo/Silo.csproj Silo/
COPY Api/Api.csproj Api/
RUN dotnet restore ${PROJECT}/${PROJECT}.csproj
COPY GrainInterfaces/ GrainInterfaces/
COPY Gateways/ Gateways/
COPY Grains/ Grains/
COPY Hosting/ Hosting/
COPY ServiceDefaults/ ServiceDefaults/
COPY Silo/ Silo/
COPY Api/ Api/
COPY deploy/migrations/ deploy/migrations/
# The built client goes into the Api's web root before publishing, which ships wwwroot/ with the Api.
COPY --from=web /src/Api/wwwroot/app/ Api/wwwroot/app/
COPY --from=web /src/Api/wwwroot/graphiql/ Api/wwwroot/graphiql/
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
