namespace PiiScanner.Detection.Validators;

/// <summary>
/// The hand-written list of validators rules may name. Adding a validator means adding one line here.
/// Immutable and thread-safe.
/// </summary>
internal sealed class ValidatorRegistry
{
    private readonly Dictionary<string, IValidator> _byName;

    /// <summary>Creates a registry of the given validators (names must be unique).</summary>
    public ValidatorRegistry(IEnumerable<IValidator> validators)
    {
        _byName = new Dictionary<string, IValidator>(StringComparer.OrdinalIgnoreCase);
        foreach (var validator in validators)
        {
            if (!_byName.TryAdd(validator.Name, validator))
            {
                throw new ArgumentException($"Two validators are named '{validator.Name}'.", nameof(validators));
            }
        }
    }

    /// <summary>The built-in validators.</summary>
    public static ValidatorRegistry CreateDefault() => new(
    [
        // one line per validator
        new SsnValidator(),
        new ItinValidator(),
        new LuhnValidator(),
        new AbaRoutingValidator(),
        new NpiValidator(),
        new DeaValidator(),
        new MbiValidator(),
        new Icd10Validator(),
        new NdcValidator(),
    ]);

    /// <summary>Names of all registered validators.</summary>
    public IEnumerable<string> Names => _byName.Keys.Order(StringComparer.Ordinal);

    /// <summary>Looks a validator up by name.</summary>
    public bool TryGet(string name, out IValidator validator) => _byName.TryGetValue(name, out validator!);
}
