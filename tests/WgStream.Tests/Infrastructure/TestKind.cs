namespace WgStream.Tests.Infrastructure;

/// <summary>
/// The <c>Kind</c> trait every test class carries, so one kind can be run alone:
/// <c>dotnet test --filter Kind=unit</c> (no process, database or network: seconds),
/// <c>Kind=integration</c> (real PostgreSQL, Redis, silos, Api processes, ffmpeg, nginx),
/// <c>Kind=browser</c> (Chromium through Playwright against a running Api and the built web client).
/// <c>TestKindTests</c> fails when a test class has none.
/// </summary>
public static class TestKind
{
    public const string Name = "Kind";
    public const string Unit = "unit";
    public const string Integration = "integration";
    public const string Browser = "browser";
}
