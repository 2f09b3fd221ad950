using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;

namespace Parley.Server.Hosting;

/// <summary>
/// The configuration keys under <c>Parley</c> and their defaults, read from <see cref="ServerOptions"/>
/// itself: a setting added there is known to <c>--help</c> and to the check for unknown keys at once.
/// </summary>
internal static class ServerSettings
{
    /// <summary>Every key (<c>Parley:IdleTimeout</c>, …) with its default as configuration would spell it.</summary>
    public static IReadOnlyList<(string Key, string? Default)> All { get; } = [.. Describe(ServerOptions.Section, typeof(ServerOptions), new ServerOptions())];

    /// <summary>The keys under <paramref name="section"/> (the <c>Parley</c> section) that bind to nothing in <see cref="ServerOptions"/>.</summary>
    public static IEnumerable<string> Unknown(IConfigurationSection section) => Unknown(section, typeof(ServerOptions));

    private static IEnumerable<string> Unknown(IConfigurationSection section, Type type)
    {
        var settings = Settable(type).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            var unknown = settings.TryGetValue(child.Key, out var setting) ? UnknownBelow(child, setting.PropertyType) : [child.Path];
            foreach (var path in unknown)
            {
                yield return path;
            }
        }
    }

    private static IEnumerable<string> UnknownBelow(IConfigurationSection section, Type type) =>
        // the binder takes any index or key below a collection; nothing below a value (Parley:Tcp:Port)
        IsCollection(type) ? []
        : IsValue(type) ? section.GetChildren().Select(child => child.Path)
        : Unknown(section, type);

    private static IEnumerable<(string Key, string? Default)> Describe(string prefix, Type type, object? defaults)
    {
        foreach (var setting in Settable(type))
        {
            var key = $"{prefix}:{setting.Name}";
            var value = defaults is null ? null : setting.GetValue(defaults);
            if (IsValue(setting.PropertyType) || IsCollection(setting.PropertyType))
            {
                yield return (key, Format(value));
                continue;
            }
            foreach (var nested in Describe(key, setting.PropertyType, value))
            {
                yield return nested;
            }
        }
    }

    // what the configuration binder sets: public, writable instance properties
    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true });

    // the binder reads a value from one string when the type converts from one (TimeSpan, int, bool, enums, …)
    private static bool IsValue(Type type) => TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    private static bool IsCollection(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);

    private static string? Format(object? value) => value switch
    {
        null or (IEnumerable and not string) => null,
        bool flag => flag ? "true" : "false",
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    } is { Length: > 0 } text ? text : null;
}
