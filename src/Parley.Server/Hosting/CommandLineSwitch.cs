namespace Parley.Server.Hosting;

/// <summary>One switch of the server's command line: a short name for one configuration key.</summary>
/// <param name="Name">The switch, such as <c>--tcp</c>.</param>
/// <param name="Key">The configuration key it sets, such as <c>Parley:Tcp</c>.</param>
/// <param name="Value">What its value is, for the usage: <c>HOST:PORT</c>.</param>
/// <param name="Meaning">What it does, for the usage.</param>
/// <param name="DefaultMeaning">What the default means when the setting's default value is empty (the machine name, …).</param>
internal sealed record CommandLineSwitch(string Name, string Key, string Value, string Meaning, string? DefaultMeaning = null);
