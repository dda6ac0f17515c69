/** A user as the admin API shows it: the profile and the admin plugin's fields, nothing else. */

export interface UserRow {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  image?: string | null;
  role?: string | null;
  banned?: boolean | null;
  banReason?: string | null;
  banExpires?: Date | string | null;
  isAnonymous?: boolean | null;
  createdAt: Date | string;
  updatedAt: Date | string;
}

export function publicUser(user: UserRow) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    emailVerified: user.emailVerified,
    image: user.image ?? null,
    role: user.role ?? null,
    banned: user.banned === true,
    banReason: user.banReason ?? null,
    banExpires: user.banExpires ?? null,
    isAnonymous: user.isAnonymous === true,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}
