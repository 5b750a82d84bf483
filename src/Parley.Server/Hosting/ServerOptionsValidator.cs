using Microsoft.Extensions.Options;

namespace Parley.Server.Hosting;

/// <summary>Runs <see cref="ParleyServerOptions.Validate"/> as options validation, so a bad setting stops the server before it starts.</summary>
internal sealed class ServerOptionsValidator : IValidateOptions<ParleyServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ParleyServerOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
