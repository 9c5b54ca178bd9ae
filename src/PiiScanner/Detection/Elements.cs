namespace PiiScanner.Detection;

/// <summary>Element names used in findings and in the exposure index (the output contract's spelling).</summary>
public static class Elements
{
    /// <summary>A person's name.</summary>
    public const string Name = "name";

    /// <summary>A postal address.</summary>
    public const string Address = "address";

    /// <summary>US Social Security number.</summary>
    public const string Ssn = "ssn";

    /// <summary>Driver's licence or state ID number.</summary>
    public const string DriversLicense = "driversLicense";

    /// <summary>Date of birth.</summary>
    public const string Dob = "dob";

    /// <summary>Medical information: condition, diagnosis, treatment, procedure, medication.</summary>
    public const string Medical = "medical";

    /// <summary>Individual Taxpayer Identification Number.</summary>
    public const string Itin = "itin";

    /// <summary>Passport number.</summary>
    public const string Passport = "passport";

    /// <summary>Health insurance member, policy or group number.</summary>
    public const string HealthInsurance = "healthInsurance";

    /// <summary>Medicare Beneficiary Identifier.</summary>
    public const string Mbi = "mbi";

    /// <summary>National Provider Identifier.</summary>
    public const string Npi = "npi";

    /// <summary>DEA registration number (a prescriber identifier, like <see cref="Npi"/>).</summary>
    public const string Dea = "dea";

    /// <summary>Bank account number (with routing number).</summary>
    public const string BankAccount = "bankAccount";

    /// <summary>Payment card number.</summary>
    public const string CreditCard = "creditCard";

    /// <summary>Email address.</summary>
    public const string Email = "email";

    /// <summary>Phone number.</summary>
    public const string Phone = "phone";
}
