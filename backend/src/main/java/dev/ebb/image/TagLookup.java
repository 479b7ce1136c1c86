package dev.ebb.image;

import dev.ebb.registry.RegistryCredentials;
import dev.ebb.registry.RegistryLogin;
import java.util.Optional;

/**
 * Asks the registry an image names which digest its tag points to now, the way a namespace reaches that registry: with
 * the namespace's stored credential for it, in plain HTTP when the setting or the credential says so, trusting the
 * credential's CA bundle. The resolver of new revisions and the poll of followed tags both ask through it.
 */
public final class TagLookup {

    private final RegistryCredentials credentials;
    private final RegistryClient client;
    private final RegistryAccess access;

    public TagLookup(RegistryCredentials credentials, RegistryClient client, RegistryAccess access) {
        this.credentials = credentials;
        this.client = client;
        this.access = access;
    }

    /** Whether images of the registry are used as written (EBB_REGISTRY_SKIP), never resolved. */
    public boolean skips(ImageName image) {
        return access.skips(image.registry());
    }

    /** The digest {@code reference}'s tag points to now, asked as namespace {@code namespace} would. */
    public RegistryClient.Resolved resolve(String namespace, String reference) throws ResolutionException {
        ImageName image = ImageName.parse(reference);
        Optional<RegistryLogin> login = credentials.loginFor(namespace, image.registry());
        boolean listed = access.listedAsPlainHttp(image.registry());
        String because = listed ? "EBB_REGISTRY_PLAIN_HTTP lists it"
                : login.map(l -> "its registry credential '" + l.name() + "' in namespace " + namespace
                        + " sets plainHttp").orElse(null);
        RegistryClient.Endpoint endpoint = new RegistryClient.Endpoint(
                access.scheme(image.registry(), login.map(RegistryLogin::plainHttp).orElse(false)),
                login.map(l -> new RegistryClient.Login(l.name(), l.username(), l.password())).orElse(null),
                login.map(RegistryLogin::caBundle).orElse(null), because);
        return client.resolve(image, reference, endpoint);
    }
}
