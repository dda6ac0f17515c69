/** A user as Better Auth's admin plugin returns it (list-users, get-user). */
export interface AdminUser {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  role?: string | null;
  banned?: boolean | null;
  banReason?: string | null;
  banExpires?: string | null;
  createdAt: string;
}
