using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Parley.Core.Resilience;

/// <summary>Adds <see cref="RetryingChatClient"/> (retries through a Polly v8 <see cref="RetryPipeline"/>) to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class RetryChatClientBuilderExtensions
{
    /// <summary>Retries transient failures of the clients added after this one, with the default options changed by <paramref name="configure"/>.</summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="configure">Changes the default <see cref="RetryOptions"/>; <see langword="null"/> keeps them.</param>
    /// <param name="loggerFactory">Creates the retry logger; <see langword="null"/> takes it from the pipeline's services, if any.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentException">An option is out of range (thrown when the pipeline is built).</exception>
    public static ChatClientBuilder UseRetries(this ChatClientBuilder builder, Action<RetryOptions>? configure = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new RetryOptions();
        configure?.Invoke(options);
        return builder.UseRetries(options, loggerFactory);
    }

    /// <summary>Retries transient failures of the clients added after this one, with <paramref name="options"/>.</summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="options">The retry settings; copied and validated when the pipeline is built.</param>
    /// <param name="loggerFactory">Creates the retry logger; <see langword="null"/> takes it from the pipeline's services, if any.</param>
    /// <returns>The same builder.</returns>
    public static ChatClientBuilder UseRetries(this ChatClientBuilder builder, RetryOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.Use((innerClient, services) =>
        {
            var factory = loggerFactory ?? services.GetService(typeof(ILoggerFactory)) as ILoggerFactory;
            return new RetryingChatClient(innerClient, options, factory?.CreateLogger<RetryingChatClient>());
        });
    }
}
