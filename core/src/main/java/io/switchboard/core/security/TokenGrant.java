package io.switchboard.core.security;

import io.switchboard.core.session.Principal;

/** A token just issued (login, refresh) and the user it stands for. */
public record TokenGrant(String token, Principal user) {
}
