namespace Parley.Server.Storage;

/// <summary>The versions of the name rules an account's stored key and skeleton were computed by.</summary>
public static class NameRules
{
    /// <summary>Protocol 1.0's rules: NFC and simple case mapping, no skeleton.</summary>
    public const int Legacy = 1;

    /// <summary>The PRECIS profile with full case folding, and the confusable skeleton.</summary>
    public const int Current = 2;
}
