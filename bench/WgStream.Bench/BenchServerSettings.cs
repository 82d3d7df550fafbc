namespace WgStream.Bench;

/// <summary>
/// What every benchmark that starts the real Api sets, and why: the load, not the platform's
/// abuse guards, is what is measured (chat and registration rate limits out of the way, password
/// hashing cheap for the thousands of accounts a run signs up, logs at errors only).
/// </summary>
public static class BenchServerSettings
{
    public static Dictionary<string, string> For(string connectionString) => new()
    {
        ["WG_Database__ConnectionString"] = connectionString,
        ["WG_Mail__Mode"] = "Pickup",
        ["WG_Chat__MessagesPerWindow"] = "1000000",
        ["WG_Chat__ModeratorMessagesPerWindow"] = "1000000",
        ["WG_RateLimits__RegisterPerIp__Limit"] = "100000",
        ["WG_Accounts__Argon2MemoryKiB"] = "1024",
        ["WG_Accounts__Argon2Iterations"] = "1",
        ["Logging__LogLevel__Default"] = "Error",
    };
}
