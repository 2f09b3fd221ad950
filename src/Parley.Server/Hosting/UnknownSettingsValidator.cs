using Microsoft.Extensions.Options;

namespace Parley.Server.Hosting;

/// <summary>
/// Refuses keys under <c>Parley</c> that <see cref="ServerOptions"/> does not have, from any source
/// (command line, environment, appsettings.json): the binder would skip a misspelt one, and the
/// server would run on the default the operator meant to change.
/// </summary>
internal sealed class UnknownSettingsValidator(IConfiguration configuration) : IValidateOptions<ServerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var unknown = ServerSettings.Unknown(configuration.GetSection(ServerOptions.Section)).ToList();
        return unknown.Count switch
        {
            0 => ValidateOptionsResult.Success,
            1 => ValidateOptionsResult.Fail($"unknown setting {unknown[0]} (see --help)"),
            _ => ValidateOptionsResult.Fail($"unknown settings {string.Join(", ", unknown)} (see --help)"),
        };
    }
}
