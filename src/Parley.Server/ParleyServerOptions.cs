using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace Parley.Server;

/// <summary>
/// How the OpenAI-compatible server is set up: bound from the <see cref="SectionName"/> configuration section, then
/// changed in code, and validated by <see cref="Validate"/> when the server starts.
/// </summary>
public sealed class ParleyServerOptions
{
    /// <summary>The configuration section these options are bound from: <c>Parley:Server</c>.</summary>
    public const string SectionName = "Parley:Server";

    /// <summary>The default request body limit: 1 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>The default number of requests a client may make per <see cref="RateLimitWindow"/>: 0, no limit.</summary>
    public const int DefaultRateLimitPermits = 0;

    /// <summary>The bot folders to serve; each bot's model id is its name. Default: none (set at least one).</summary>
    public IList<string> BotFolders { get; } = [];

    /// <summary>
    /// The API keys a client must send as <c>Authorization: Bearer KEY</c>. Default: none, which leaves the API open.
    /// </summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>
    /// Admin API keys: valid keys that also see every key's sessions, files, fine-tuning jobs and models (an ordinary
    /// key sees only its own; see <see cref="Security.ApiCaller"/>). Default: none.
    /// </summary>
    public IList<string> AdminApiKeys { get; } = [];

    /// <summary>The largest request body accepted; larger ones get 413. Default: <see cref="DefaultMaxRequestBodyBytes"/>.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>
    /// How many API requests one client (one API key, or one IP address when the API is open) may make per
    /// <see cref="RateLimitWindow"/>; more get 429 with <c>Retry-After</c>. 0 turns rate limiting off. Default: 0, off.
    /// Configuration key: <c>RateLimitPerMinute</c>.
    /// </summary>
    [ConfigurationKeyName("RateLimitPerMinute")]
    public int RateLimitPermits { get; set; } = DefaultRateLimitPermits;

    /// <summary>The default number of failed authentications an address may make per minute: 10.</summary>
    public const int DefaultAuthFailuresPerMinute = 10;

    /// <summary>
    /// How many requests with a missing or wrong API key one client IP address may make per minute; after that every
    /// request from the address (a correct key included) gets 429 with <c>Retry-After</c> until the minute is over.
    /// 0 turns it off. Only applies when <see cref="ApiKeys"/> are configured. Default: <see cref="DefaultAuthFailuresPerMinute"/>.
    /// </summary>
    public int AuthFailuresPerMinute { get; set; } = DefaultAuthFailuresPerMinute;

    /// <summary>The window over which <see cref="RateLimitPermits"/> are counted. Default: one minute.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The origins (for example <c>https://app.example.com</c>) browsers may call the API from. Default: none, which
    /// leaves CORS off so browsers on other origins cannot read the answers.
    /// </summary>
    public IList<string> CorsOrigins { get; } = [];

    /// <summary>
    /// How long stopping the server waits for open requests (streams included) to finish before it cuts them.
    /// Default: 30 seconds.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether prompts and replies are logged (at Information, each cut to 2,000 characters). Default: false, so logs
    /// hold no message content; API keys are never logged either way.
    /// </summary>
    public bool LogContent { get; set; }

    /// <summary>
    /// An upstream model served as <see cref="UpstreamModel"/>: its chat completions (tools included) are passed
    /// through. Default: null, none. The server does not dispose it.
    /// </summary>
    public IChatClient? Upstream { get; set; }

    /// <summary>The model id of <see cref="Upstream"/>, listed in <c>/v1/models</c>. Default: null; required with <see cref="Upstream"/>.</summary>
    public string? UpstreamModel { get; set; }

    /// <summary>The clock for timestamps. Default: the system clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The default limit of an uploaded fine-tuning file: 100 MiB.</summary>
    public const long DefaultMaxFineTuningFileBytes = 100L * 1024 * 1024;

    /// <summary>
    /// Where uploaded fine-tuning files, jobs and fine-tuned models are kept. Default: null, <c>fine-tuning</c> in
    /// the data folder (<see cref="Parley.Hosting.ParleyDataFolder.FineTuning"/>).
    /// </summary>
    public string? FineTuningDirectory { get; set; }

    /// <summary>How many fine-tuning jobs train at once on this server; the others wait as <c>queued</c>. Default: 1.</summary>
    public int MaxConcurrentFineTuningJobs { get; set; } = 1;

    /// <summary>
    /// How long a server's claim on a fine-tuning job lasts unless renewed; a job whose server died is taken over by
    /// another once it runs out. Default: 30 seconds.
    /// </summary>
    public TimeSpan FineTuningLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a server renews the leases of the jobs it runs, and so how soon a job cancelled on another server
    /// stops; shorter than <see cref="FineTuningLease"/>. Default: 5 seconds.
    /// </summary>
    public TimeSpan FineTuningHeartbeat { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an idle server looks for fine-tuning jobs created on other servers. Default: 2 seconds.</summary>
    public TimeSpan FineTuningPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// For tests only: holds every fine-tuning job this long in <c>running</c> before it trains, so a test can kill
    /// or cancel it mid-job. Default: zero (no delay).
    /// </summary>
    public TimeSpan FineTuningTrainingDelay { get; set; }

    /// <summary>
    /// The largest fine-tuning file <c>POST /v1/files</c> accepts (larger gets 413); this route alone is exempt from
    /// <see cref="MaxRequestBodyBytes"/>. Default: <see cref="DefaultMaxFineTuningFileBytes"/>.
    /// </summary>
    public long MaxFineTuningFileBytes { get; set; } = DefaultMaxFineTuningFileBytes;

    /// <summary>
    /// What models fine-tuned on chat data answer to input outside everything they learned (set when a job trains).
    /// Default: null, "Sorry, I can't help with that. …".
    /// </summary>
    public string? FineTunedFallbackReply { get; set; }

    /// <summary>
    /// The longest a streamed reply may run; a stream still going is cut with an error event and <c>[DONE]</c>.
    /// <see cref="Timeout.InfiniteTimeSpan"/> for no limit. Default: 10 minutes.
    /// </summary>
    public TimeSpan StreamTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The longest a streamed reply may go without an update from the model (before the first one included); a stream
    /// that stalls is cut as at <see cref="StreamTimeout"/>. <see cref="Timeout.InfiniteTimeSpan"/> for no limit. Default: 60 seconds.
    /// </summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public void Validate()
    {
        if (BotFolders.Count == 0)
        {
            throw new ArgumentException("no bot to serve: give at least one bot folder", nameof(BotFolders));
        }

        if (MaxRequestBodyBytes < 1024)
        {
            throw new ArgumentException($"the request body limit must be at least 1024 bytes (was {MaxRequestBodyBytes})", nameof(MaxRequestBodyBytes));
        }

        if (ApiKeys.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("an API key is empty", nameof(ApiKeys));
        }

        if (AdminApiKeys.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("an admin API key is empty", nameof(AdminApiKeys));
        }

        if (RateLimitPermits < 0)
        {
            throw new ArgumentException($"the rate limit must be 0 (off) or a number of requests per window (was {RateLimitPermits})", nameof(RateLimitPermits));
        }

        if (AuthFailuresPerMinute < 0)
        {
            throw new ArgumentException($"the failed-authentication limit must be 0 (off) or a number per minute (was {AuthFailuresPerMinute})", nameof(AuthFailuresPerMinute));
        }

        if (RateLimitWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException($"the rate limit window must be positive (was {RateLimitWindow})", nameof(RateLimitWindow));
        }

        if ((Upstream is null) != string.IsNullOrWhiteSpace(UpstreamModel))
        {
            throw new ArgumentException("an upstream model needs both the chat client and its model id", Upstream is null ? nameof(Upstream) : nameof(UpstreamModel));
        }

        if (ShutdownTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException($"the shutdown timeout must not be negative (was {ShutdownTimeout})", nameof(ShutdownTimeout));
        }

        foreach (var (name, value) in new[] { (nameof(StreamTimeout), StreamTimeout), (nameof(StreamIdleTimeout), StreamIdleTimeout) })
        {
            if (value != Timeout.InfiniteTimeSpan && (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1)))
            {
                throw new ArgumentException($"{name} must be positive and at most a day, or infinite (was {value})", name);
            }
        }

        if (MaxConcurrentFineTuningJobs < 1)
        {
            throw new ArgumentException($"at least 1 fine-tuning job must be allowed to run (was {MaxConcurrentFineTuningJobs})", nameof(MaxConcurrentFineTuningJobs));
        }

        if (FineTuningLease <= TimeSpan.Zero || FineTuningHeartbeat <= TimeSpan.Zero || FineTuningHeartbeat >= FineTuningLease)
        {
            throw new ArgumentException($"the fine-tuning heartbeat ({FineTuningHeartbeat}) must be above zero and shorter than the lease ({FineTuningLease}), or leases run out while their jobs run", nameof(FineTuningHeartbeat));
        }

        if (FineTuningPollInterval <= TimeSpan.Zero || FineTuningTrainingDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"the fine-tuning poll interval must be above zero (was {FineTuningPollInterval}) and the training delay at least zero (was {FineTuningTrainingDelay})", nameof(FineTuningPollInterval));
        }

        if (MaxFineTuningFileBytes < 1024)
        {
            throw new ArgumentException($"the fine-tuning file limit must be at least 1024 bytes (was {MaxFineTuningFileBytes})", nameof(MaxFineTuningFileBytes));
        }

        if (FineTuningDirectory is { } fineTuning && string.IsNullOrWhiteSpace(fineTuning))
        {
            throw new ArgumentException("the fine-tuning folder is blank: give a path, or null for the default", nameof(FineTuningDirectory));
        }

        foreach (var origin in CorsOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                throw new ArgumentException($"the CORS origin '{origin}' is not an origin (expected e.g. https://app.example.com)", nameof(CorsOrigins));
            }
        }
    }
}
