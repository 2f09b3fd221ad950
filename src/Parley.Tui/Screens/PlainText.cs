using System.Text;

namespace Parley.Tui.Screens;

/// <summary>For views that show what the server or other people wrote.</summary>
internal static class PlainText
{
    /// <summary>
    /// A hot-key specifier that never occurs in text, so that a label shows <c>username_taken</c> as written
    /// instead of taking its <c>_</c> as the mark of a hot key.
    /// </summary>
    public static Rune NoHotKey { get; } = new(0xFFFF);
}
